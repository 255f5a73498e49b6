#include <stdio.h>
int find(const int *a, int n, int x);
int main(void) {
  int a[] = {1, 3, 5, 7, 9};
  for (int i = 0; i < 5; i++) if (find(a, 5, a[i]) != i) { printf("missed %d\n", a[i]); return 1; }
  if (find(a, 5, 4) != -1 || find(a, 5, 10) != -1 || find(a, 0, 1) != -1) { printf("found a missing value\n"); return 1; }
  return 0;
}
