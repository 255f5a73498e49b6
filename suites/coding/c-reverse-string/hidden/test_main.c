#include <stdio.h>
#include <string.h>
void reverse(char *s);
int main(void) {
  char a[] = "hello"; reverse(a);
  char b[] = "ab"; reverse(b);
  char c[] = ""; reverse(c);
  if (strcmp(a, "olleh") || strcmp(b, "ba") || strcmp(c, "")) { printf("got '%s' '%s'\n", a, b); return 1; }
  return 0;
}
