#ifndef STACK_H
#define STACK_H
typedef struct Stack Stack;
Stack *stack_new(int capacity);
int stack_push(Stack *s, int value);
int stack_pop(Stack *s, int *out);
void stack_free(Stack *s);
#endif
