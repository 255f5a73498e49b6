set -e
echo a > 'my notes.txt'
echo b > plain.txt
bash backup.sh 'my notes.txt' plain.txt
[ -f 'backup/my notes.txt' ] || { echo 'backup/my notes.txt missing'; exit 1; }
[ -f backup/plain.txt ] || { echo 'backup/plain.txt missing'; exit 1; }
