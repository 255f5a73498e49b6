#include "stack.h"
/* TODO */
