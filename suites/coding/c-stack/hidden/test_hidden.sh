set -e
gcc -std=c11 -Wall -Werror -o t test_main.c stack.c
./t
