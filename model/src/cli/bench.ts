// `npm run -s bench:model -- --json`: inference latency (WASM, SIMD, batch 1), cold and
// incremental training time, model bytes before/after quantization, peak RSS.
// --quick skips the training runs (which take minutes: cold = empty embedding cache).
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { load, resolveVersionDir } from '../classifier';
import { preprocessRgba } from '../preprocess';
import { embedBatch, loadBackbone } from '../node/backbone';
import { decodeImage } from '../node/decode';
import { initTf, tf } from '../node/tf-backend';
import { paths } from '../paths';
import { loadBank } from '../train/dataset';
import { trainAndExport } from '../train/train-and-export';
import { parseArgs, runCli } from './args';

/** A brown soil colour for the small-subject photos. */
const SOIL = { r: 110, g: 84, b: 60 };

function pct(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10;
}

/** Bytes the backbone's weights take as float32, from the shapes in its (quantized) model.json. */
async function float32Bytes(modelDir: string): Promise<number> {
  const json = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8')) as {
    weightsManifest: { weights: { shape: number[] }[] }[];
  };
  return json.weightsManifest
    .flatMap((g) => g.weights)
    .reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  await initTf();
  const bank = await loadBank(paths.imagebankDir, () => {});
  const sample = bank.samples.filter((_, i) => i % 40 === 0).slice(0, 40);
  const report: Record<string, unknown> = {
    backend: tf.getBackend(),
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    threads: false,
  };

  const backbone = await loadBackbone(paths.backboneDir);
  const inputs = await Promise.all(
    sample.map(async (s) => {
      const d = await decodeImage(s.path);
      return preprocessRgba(d.pixels, d.width, d.height, 3);
    }),
  );
  embedBatch(backbone, [inputs[0]]); // warm-up
  const embedMs = inputs.map((x) => {
    const t = performance.now();
    embedBatch(backbone, [x]);
    return performance.now() - t;
  });
  backbone.dispose();
  report.embedding_ms = { p50: pct(embedMs, 0.5), p95: pct(embedMs, 0.95), n: embedMs.length };

  const versionDir = await resolveVersionDir(paths.modelDir);
  const clf = await load(versionDir);
  await clf.classify(sample[0].path);
  const classifyMs: number[] = [];
  for (const s of sample) {
    const t = performance.now();
    await clf.classify(s.path);
    classifyMs.push(performance.now() - t);
  }
  report.classify_ms_including_decode = {
    p50: pct(classifyMs, 0.5),
    p95: pct(classifyMs, 0.95),
    n: classifyMs.length,
  };
  // The second look: the same photos at 55 % of the frame on a flat soil colour, most of them
  // refused as a whole, so their diagnosis also reads the close-ups (more backbone passes).
  const smallMs: number[] = [];
  let closeUps = 0;
  for (const s of sample) {
    const img = sharp(s.path).rotate();
    const { width = 256, height = 256 } = await img.metadata();
    const pad = Math.round(Math.min(width, height) * 0.41);
    const photo = await img
      .extend({ top: pad, bottom: pad, left: pad, right: pad, background: SOIL })
      .png()
      .toBuffer();
    const t = performance.now();
    const r = await clf.classify(photo);
    smallMs.push(performance.now() - t);
    if (r.closeUpShare !== undefined) closeUps++;
  }
  report.classify_ms_subject_small_in_frame = {
    p50: pct(smallMs, 0.5),
    p95: pct(smallMs, 0.95),
    n: smallMs.length,
    read_on_close_up: closeUps,
  };
  report.model_version = clf.version;
  report.model_bytes_total = clf.manifest.totalBytes;
  report.backbone_bytes = {
    float32_original: await float32Bytes(join(versionDir, 'backbone')),
    exported: clf.manifest.files
      .filter((f) => f.path.startsWith('backbone/'))
      .reduce((n, f) => n + f.bytes, 0),
    quantization: clf.manifest.quantization.backbone,
  };
  // The ImageNet check (rank-128 copy of conv_preds, whose float32 original is 3,076,000 bytes).
  const imagenetFiles = clf.manifest.files.filter((f) => f.path.startsWith('imagenet/'));
  report.imagenet_check_bytes =
    imagenetFiles.length > 0
      ? {
          float32: await float32Bytes(join(versionDir, 'imagenet')),
          exported: imagenetFiles.reduce((n, f) => n + f.bytes, 0),
        }
      : null;
  clf.dispose();

  if (args.get('quick') !== true) {
    // Cold: empty cache, bank minus 50 images; incremental: the full bank, so only 50 new images
    // (plus their augmentations if they land in the training split) are embedded.
    const cacheDir = join(paths.cacheDir, 'bench-cache');
    const modelDir = join(paths.cacheDir, 'bench-models');
    await rm(cacheDir, { recursive: true, force: true });
    const held = new Set(
      bank.samples
        .filter((_, i) => i % 39 === 7)
        .slice(0, 50)
        .map((s) => s.path),
    );
    const common = {
      classes: bank.classes,
      backboneDir: paths.backboneDir,
      cacheDir,
      modelDir,
      log: () => {},
      warn: () => {},
    };
    const cold = await trainAndExport({
      ...common,
      samples: bank.samples.filter((s) => !held.has(s.path)),
    });
    const inc = await trainAndExport({ ...common, samples: bank.samples });
    report.train_seconds = {
      cold: cold.seconds,
      cold_images: bank.samples.length - held.size,
      incremental_plus_50_images: inc.seconds,
      incremental_embedded_variants: inc.result.embedStats.computed,
    };
    await rm(modelDir, { recursive: true, force: true });
  }
  report.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  // --json: one compact object on one line (machine-readable); otherwise indented for people.
  const json = args.get('json') === true;
  process.stdout.write(`${json ? JSON.stringify(report) : JSON.stringify(report, null, 2)}\n`);
}

runCli(main, process.argv.includes('--json'));
