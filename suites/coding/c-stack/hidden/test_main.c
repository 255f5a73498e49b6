#include <stdio.h>
#include "stack.h"
int main(void) {
  Stack *s = stack_new(2); int v = 0;
  if (stack_pop(s, &v) != -1) return 1;
  if (stack_push(s, 1) || stack_push(s, 2)) return 2;
  if (stack_push(s, 3) != -1) return 3;
  if (stack_pop(s, &v) || v != 2) return 4;
  if (stack_pop(s, &v) || v != 1) return 5;
  stack_free(s);
  return 0;
}
