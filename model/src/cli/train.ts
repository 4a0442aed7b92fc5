// `npm run model:train`: trains on IMAGEBANK_DIR (catalog.json + class folders), exports to
// MODEL_DIR/<version>/ and points MODEL_DIR/current.json at it. Logs go to stderr.
// --no-baseline skips the kNN baseline (a second embedding of the bank with the float backbone):
// the model is the same, but `model:eval --baseline knn` then has no data for it.
import { paths } from '../paths';
import { initTf } from '../node/tf-backend';
import { loadBank } from '../train/dataset';
import { trainAndExport } from '../train/train-and-export';
import { parseArgs, runCli } from './args';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const warn = (m: string): void => console.error(`warning: ${m}`);
  await initTf();
  console.error(`image bank: ${paths.imagebankDir}`);
  const bank = await loadBank(paths.imagebankDir, warn);
  console.error(`${bank.samples.length} images in ${bank.classes.length} classes`);
  const workers = args.get('workers');
  const quantization = args.get('quantization');
  const out = await trainAndExport({
    ...bank,
    backboneDir: paths.backboneDir,
    cacheDir: paths.cacheDir,
    modelDir: paths.modelDir,
    augment: args.get('augment') !== false,
    distanceQuantile:
      typeof args.get('distance-quantile') === 'string'
        ? Number(args.get('distance-quantile'))
        : undefined,
    quantization:
      quantization === 'uint8' || quantization === 'float16' || quantization === 'none'
        ? quantization
        : 'mixed',
    workers: typeof workers === 'string' ? Number(workers) : undefined,
    baseline: args.get('baseline') !== false,
    warn,
  });
  const t = out.result.metrics.test;
  console.error(
    `model ${out.version} → ${out.dir} (${(out.totalBytes / 1e6).toFixed(2)} MB) in ${out.seconds.toFixed(0)} s; ` +
      `test top1 ${t.top1} top3 ${t.top3} ece ${t.ece} abstain ${t.abstain_rate_known}; ` +
      (out.result.metrics.knnTest
        ? `kNN top1 ${out.result.metrics.knnTest.top1}`
        : 'no kNN baseline (--no-baseline)'),
  );
}

runCli(main, false);
