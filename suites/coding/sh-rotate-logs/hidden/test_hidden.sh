set -e
mkdir -p logs
for i in 1 2 3 4 5; do echo $i > logs/app$i.log; touch -d "2024-01-0$i" logs/app$i.log; done
echo keep > logs/readme.txt
bash rotate.sh logs 2
ls logs | sort > got.txt
printf 'app4.log\napp5.log\nreadme.txt\n' > want.txt
diff want.txt got.txt || { echo 'wrong files kept'; exit 1; }
for i in 1 2 3 4 5; do echo $i > logs/b$i.log; touch -d "2025-01-0$i" logs/b$i.log; done
bash rotate.sh logs
[ "$(ls logs/*.log | wc -l)" = 3 ] || { echo 'default N should be 3'; exit 1; }
