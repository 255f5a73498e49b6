set -e
printf 'one two three\nfour\n' > t.txt
out=$(bash count.sh t.txt | tr -d ' ')
[ "$out" = 4 ] || { echo "expected 4 words, got '$out'"; exit 1; }
printf '' > e.txt
[ "$(bash count.sh e.txt | tr -d ' ')" = 0 ] || { echo 'empty file should be 0'; exit 1; }
