#!/usr/bin/env bash
# Trains the built-in tiny model on the synthetic math task with each method and mask mode, for
# several seeds, and prints a markdown table of held-out losses (RESULTS.md records a run).
#   tools/experiments/methods.sh [steps=300] [seeds="1 2 3"] [variants="sft:freeze gmt:freeze gmt:zero-grad"]
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=${1:-300}
seeds=${2:-"1 2 3"}
variants=${3:-"sft:freeze gmt:freeze gmt:zero-grad rmt:freeze hft:freeze"}
out=${OUT:-runs/experiments}
mkdir -p "$out"
dotnet build -c Release src/OrtGmt.Cli > /dev/null
for seed in $seeds; do
  for v in $variants; do
    method=${v%%:*}; mode=${v##*:}; name="$method-$mode-s$seed"
    cat > "$out/$name.json" <<JSON
{"method": "$method", "mask_mode": "$mode", "seed": $seed, "max_steps": $steps, "output_dir": "$out/$name",
 "eval_steps": 100, "save_steps": 0, "plots": false, "learning_rate": 0.003}
JSON
    dotnet run -c Release --no-build --project src/OrtGmt.Cli -- train --config "$out/$name.json" > "$out/$name.log" 2>&1
  done
done
echo "| method | mode | seed | eval loss before | eval loss after | train loss last |"
echo "|---|---|---:|---:|---:|---:|"
for seed in $seeds; do
  for v in $variants; do
    method=${v%%:*}; mode=${v##*:}; f="$out/$method-$mode-s$seed/result.json"
    before=$(grep -o '"EvalLossBefore": [0-9.]*' "$f" | awk '{print $2}')
    after=$(grep -o '"EvalLossAfter": [0-9.]*' "$f" | awk '{print $2}')
    last=$(grep -o '"LastLoss": [0-9.]*' "$f" | awk '{print $2}')
    printf '| %s | %s | %s | %.4f | %.4f | %.4f |\n' "$method" "$mode" "$seed" "$before" "$after" "$last"
  done
done
