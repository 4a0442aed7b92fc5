// `npm run -s model:eval -- --data <dir> --json`: scores an exported model on a folder of
// class sub-folders (images under `unknown/` must be refused) or on the bank's held-out test split
// (`--split test`). `--baseline knn` adds the Teachable-Machine-style kNN baseline: the top-level
// fields are then the baseline's and `ours` holds ours, on the same images. `--tta flip` scores
// the average of each photo and its mirror (measurement only; the app runs one pass).
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { load, resolveVersionDir } from '../classifier';
import { postprocess } from '../classifier-core';
import type { ClassifierResult } from '../classifier-core';
import { preprocessRgba } from '../preprocess';
import { embedBatch, hashModelDir, loadBackbone } from '../node/backbone';
import { decodeImage } from '../node/decode';
import type { DecodedImage } from '../node/decode';
import { paths, resolveFromRoot } from '../paths';
import { listImages, loadBank } from '../train/dataset';
import { hashSamples } from '../train/embed-samples';
import { KNN_BASELINE_FILE } from '../train/export-model';
import { KNN_K, buildKnn, knnProbs } from '../train/knn';
import { computeMetrics, toPrediction } from '../train/metrics';
import type { Metrics, Prediction } from '../train/metrics';
import { assignSplits } from '../train/split';
import { UsageError, parseArgs, runCli } from './args';

const UNKNOWN = 'unknown';

interface EvalImage {
  path: string;
  slug: string; // a model label or UNKNOWN
}

async function imagesFromFolder(dir: string, labels: string[]): Promise<EvalImage[]> {
  if (!existsSync(dir)) throw new UsageError(`data folder ${dir} does not exist`, 'NO_DATA');
  const subs: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    // A class folder may be a symlink (an eval set assembled from the bank without copying it).
    const folder =
      d.isDirectory() || (d.isSymbolicLink() && (await stat(join(dir, d.name))).isDirectory());
    if (folder) subs.push(d.name);
  }
  subs.sort();
  const foreign = subs.filter((s) => s !== UNKNOWN && !labels.includes(s));
  if (foreign.length > 0) {
    throw new UsageError(
      `class folder(s) not in the model: ${foreign.join(', ')} (the model knows ${labels.length} classes; put images that must be refused under "${UNKNOWN}/")`,
      'UNKNOWN_CLASS',
    );
  }
  const out: EvalImage[] = [];
  for (const slug of subs)
    for (const path of await listImages(join(dir, slug))) out.push({ path, slug });
  if (out.length === 0) throw new UsageError(`no images under ${dir}`, 'NO_DATA');
  return out;
}

async function testSplitImages(labels: string[], warn: (m: string) => void): Promise<EvalImage[]> {
  const bank = await loadBank(paths.imagebankDir, warn);
  const hashed = await hashSamples(
    bank.samples.filter((s) => labels.includes(s.slug)),
    warn,
  );
  const splits = assignSplits(hashed);
  return hashed
    .filter((h) => splits.get(h.sha) === 'test')
    .map((h) => ({ path: h.path, slug: h.slug }));
}

/** Scores of the known-class images: null, not a misleading 0, when there are none. */
type KnownScore = 'top1' | 'top3' | 'ece' | 'abstain_rate_known';
type Report = Omit<Metrics, KnownScore> & Record<KnownScore, number | null>;

/** Metrics as printed (a folder of photos to refuse only has no known-class scores). */
function report(m: Metrics): Report {
  if (m.n > 0) return m;
  return { ...m, top1: null, top3: null, ece: null, abstain_rate_known: null };
}

async function main(args: Map<string, string | boolean>): Promise<void> {
  const warn = (m: string): void => console.error(`warning: ${m}`);
  const json = args.get('json') === true;
  const modelArg = args.get('model');
  const versionDir = await resolveVersionDir(
    paths.modelDir,
    typeof modelArg === 'string' ? modelArg : undefined,
  ).catch(() => {
    throw new UsageError(
      `no model found in ${paths.modelDir} (run npm run model:train first)`,
      'NO_MODEL',
    );
  });
  if (!existsSync(join(versionDir, 'manifest.json'))) {
    throw new UsageError(`no exported model at ${versionDir}`, 'NO_MODEL');
  }
  const classifier = await load(versionDir);
  const labels = classifier.labels;
  const data = args.get('data');
  const split = args.get('split');
  let images: EvalImage[];
  if (typeof data === 'string') images = await imagesFromFolder(resolveFromRoot(data), labels);
  else if (split === 'test') images = await testSplitImages(labels, warn);
  else throw new UsageError('give --data <dir> or --split test');
  const unknownDir = args.get('unknown');
  if (typeof unknownDir === 'string') {
    for (const path of await listImages(resolveFromRoot(unknownDir)))
      images.push({ path, slug: UNKNOWN });
  }
  const baseline = args.get('baseline');
  if (baseline !== undefined && baseline !== 'knn')
    throw new UsageError(`unknown baseline "${String(baseline)}" (only knn)`);
  const usePriors = args.get('priors') === true; // --no-priors is the default: eval has no context
  // --tta flip: average the original and its horizontal mirror (2 forward passes). Measured only;
  // the browser runs one pass. The head is linear, so averaging embeddings = averaging logits.
  const tta = args.get('tta');
  if (tta !== undefined && tta !== 'flip') throw new UsageError(`unknown --tta "${String(tta)}"`);

  let knn: {
    index: ReturnType<typeof buildKnn>;
    backbone: Awaited<ReturnType<typeof loadBackbone>>;
  } | null = null;
  if (baseline === 'knn') {
    const file = join(versionDir, KNN_BASELINE_FILE);
    if (!existsSync(file))
      throw new UsageError(
        `${file} missing: this model was trained without the kNN baseline (--no-baseline, as ` +
          '`npm test` trains it); run `npm run model:train` for a model with it',
        'NO_BASELINE',
      );
    const data = JSON.parse(await readFile(file, 'utf8')) as {
      backboneHash: string;
      x: number[][];
      y: number[];
    };
    if ((await hashModelDir(paths.backboneDir)) !== data.backboneHash) {
      throw new UsageError(
        `BACKBONE_DIR differs from the backbone the baseline was built with`,
        'BACKBONE_MISMATCH',
      );
    }
    knn = {
      index: buildKnn(data.x, data.y, labels.length),
      backbone: await loadBackbone(paths.backboneDir, 'pool'),
    };
  }

  const ours: Prediction[] = [];
  const base: Prediction[] = [];
  let oursMs = 0;
  let baseMs = 0;
  console.error(
    `evaluating ${classifier.version} on ${images.length} images${knn ? ' (+ kNN baseline)' : ''}`,
  );
  for (const img of images) {
    const t0 = performance.now();
    let d: DecodedImage;
    try {
      d = await decodeImage(img.path);
    } catch (err) {
      warn(
        `cannot decode ${img.path}: ${err instanceof Error ? err.message : String(err)}; skipped`,
      );
      continue;
    }
    const decodeMs = performance.now() - t0;
    const truth = img.slug === UNKNOWN ? -1 : labels.indexOf(img.slug);
    const t1 = performance.now();
    let r: ClassifierResult;
    if (tta !== 'flip') {
      // As the app reads a photo: the whole of it, then its close-ups if it needs them.
      r = await classifier.classify(d, usePriors ? {} : null);
    } else {
      const input = preprocessRgba(d.pixels, d.width, d.height, d.channels);
      const mirrored = preprocessRgba(d.pixels, d.width, d.height, d.channels, undefined, true);
      const single = classifier.classifyInput(input, usePriors ? {} : null);
      const m = classifier.classifyInput(mirrored);
      const avg = (a: Float32Array, b: Float32Array): Float32Array =>
        a.map((v, i) => (v + b[i]) / 2);
      r = postprocess(
        avg(single.logits, m.logits),
        avg(single.embedding, m.embedding),
        classifier.calibration,
        usePriors ? {} : null,
        {},
        single.imagenetLogits && m.imagenetLogits
          ? avg(single.imagenetLogits, m.imagenetLogits)
          : null,
      );
    }
    oursMs += decodeMs + performance.now() - t1;
    ours.push(toPrediction(truth, r, labels));
    if (knn) {
      const t2 = performance.now();
      const [e] = embedBatch(knn.backbone, [
        preprocessRgba(d.pixels, d.width, d.height, d.channels),
      ]);
      base.push({ truth, probs: knnProbs(knn.index, e), abstained: false });
      baseMs += decodeMs + performance.now() - t2;
    }
  }
  if (ours.length === 0) throw new UsageError('no image could be decoded', 'NO_DATA');
  const round = (x: number): number => Math.round(x * 10) / 10;
  const oursReport = {
    ...report(computeMetrics(ours, labels)),
    model_version: classifier.version,
    ms_per_image: round(oursMs / ours.length),
  };
  const out = knn
    ? {
        ...report(computeMetrics(base, labels)),
        model_version: classifier.version,
        ms_per_image: round(baseMs / base.length),
        baseline: 'knn',
        baseline_k: KNN_K,
        ours: oursReport,
      }
    : oursReport;
  classifier.dispose();
  knn?.backbone.dispose();
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

// parseArgs runs inside runCli, so a bad argument is reported like any other usage error.
runCli(async () => main(parseArgs(process.argv.slice(2))), process.argv.includes('--json'));
