// Trains on a tiny 3-class subset of the real bank, in-process (no worker threads), then checks
// determinism, corrupt-image handling, the export (manifest hashes), and abstention on non-plants.
import { spawnSync } from 'node:child_process';
import { readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { load } from '../src/classifier';
import { hashModelDir } from '../src/node/backbone';
import { prepareBackbone } from '../src/node/prepared-backbone';
import { initTf } from '../src/node/tf-backend';
import { REPO_ROOT } from '../src/paths';
import type { Sample } from '../src/train/dataset';
import { listImages } from '../src/train/dataset';
import { sha256File } from '../src/train/export-model';
import type { Manifest } from '../src/train/export-model';
import { trainAndExport } from '../src/train/train-and-export';
import { CLOSE_UP_SHARES, trainModel, type TrainResult } from '../src/train/train-model';
import { OTHER_CROP, pickView } from '../src/classifier-core';
import { closeUpRegions, preprocessRgba } from '../src/preprocess';
import type { Region } from '../src/preprocess';
import { decodeImage } from '../src/node/decode';
import sharp from 'sharp';
import type { ClassInfo } from '../src/classifier-core';
import {
  BACKBONE,
  BANK,
  NONPLANT,
  SKIMAGE,
  SUBSET,
  hasSkimage,
  makeSubset,
  tempDir,
  writeCorrupt,
} from './fixtures';

const classes: ClassInfo[] = [
  { slug: SUBSET[0], kind: 'disease', crop: { en: 'Potato', fr: 'Pomme de terre' } },
  { slug: SUBSET[1], kind: 'disease', crop: { en: 'Grape', fr: 'Vigne' } },
  { slug: SUBSET[2], kind: 'disease', crop: { en: 'Corn', fr: 'Maïs' } },
];
// The default head (LDA, closed form); a second shrinkage must give other weights.
const head = { shrinkage: 0.2 };
let bank: string;
let samples: Sample[];
let modelDir: string;
let versionDir: string;
/** The first training's embedding cache, for later trainings whose cold start is not the point. */
let cache: string;
/** The first training (cold, as every test's first look at the model). */
let first: TrainResult;
const warnings: string[] = [];

beforeAll(async () => {
  await initTf();
  bank = await tempDir('bank');
  await makeSubset(bank, SUBSET, 12);
  await writeCorrupt(join(bank, SUBSET[0], 'zz-corrupt.jpg'));
  samples = [];
  for (const slug of SUBSET)
    for (const path of await listImages(join(bank, slug))) samples.push({ slug, path });
  modelDir = await tempDir('models');
  cache = await tempDir('cache');
  const out = await trainAndExport({
    samples,
    classes,
    backboneDir: BACKBONE,
    cacheDir: cache,
    modelDir,
    workers: 0,
    head,
    log: () => {},
    warn: (m) => warnings.push(m),
  });
  versionDir = out.dir;
  first = out.result;
});

describe('training on a small subset', () => {
  it('skips a corrupt image with a warning instead of crashing', () => {
    expect(warnings.some((w) => w.includes('zz-corrupt.jpg'))).toBe(true);
  });

  it('is deterministic: same options, same weights and probabilities (fresh cache each run)', async () => {
    // Trained again as the first was (same options, its own empty cache), without the export.
    const a = first;
    const b = await trainModel({
      samples,
      classes,
      backboneDir: BACKBONE,
      cacheDir: await tempDir('cache'),
      workers: 0,
      head,
      log: () => {},
      warn: () => {},
    });
    expect(Array.from(a.head.kernel)).toEqual(Array.from(b.head.kernel));
    expect(Array.from(a.head.bias)).toEqual(Array.from(b.head.bias));
    expect(a.calibration.temperature).toBe(b.calibration.temperature);
    expect(a.calibration.temperatureSlope).toBe(b.calibration.temperatureSlope);
    expect(a.metrics.test).toEqual(b.metrics.test);
    expect(a.calibration.abstention.imagenet).toEqual(b.calibration.abstention.imagenet);
    // Quantizing the backbone is deterministic too: the same shipped bytes from fresh caches.
    expect(a.backbone.hash).toBe(b.backbone.hash);
    // Another shrinkage, and without the kNN baseline (as `npm test` trains): nothing of it kept.
    // On the first training's cache: embeddings do not depend on the head.
    const c = await trainModel({
      samples,
      classes,
      backboneDir: BACKBONE,
      cacheDir: cache,
      workers: 0,
      head: { ...head, shrinkage: 0.6 },
      baseline: false,
      log: () => {},
      warn: () => {},
    });
    expect(Array.from(c.head.kernel)).not.toEqual(Array.from(a.head.kernel));
    expect(a.metrics.knnTest?.n).toBeGreaterThan(0);
    expect(c.knnTrain).toBeNull();
    expect(c.metrics.knnTest).toBeNull();
    // A cold training: give it more than the default 120 s on a shared CPU.
  }, 360_000);

  it('exports files whose sha256 and sizes match the manifest, and updates current.json', async () => {
    const manifest = JSON.parse(
      await readFile(join(versionDir, 'manifest.json'), 'utf8'),
    ) as Manifest;
    const paths = manifest.files.map((f) => f.path);
    for (const p of [
      'labels.json',
      'calibration.json',
      'metrics.json',
      'backbone/model.json',
      'head/model.json',
      'imagenet/model.json',
    ]) {
      expect(paths).toContain(p);
    }
    for (const f of manifest.files) {
      expect(await sha256File(join(versionDir, f.path))).toBe(f.sha256);
      expect((await stat(join(versionDir, f.path))).size).toBe(f.bytes);
    }
    expect(manifest.classes.map((c) => c.slug)).toEqual(SUBSET);
    expect(manifest.totalBytes).toBeLessThan(3_000_000);
    expect(manifest.embeddingSize).toBeGreaterThan(768); // multi-scale features, not the plain pool
    const current = JSON.parse(await readFile(join(modelDir, 'current.json'), 'utf8')) as {
      version: string;
    };
    expect(current.version).toBe(manifest.version);
  });

  it('classifies a known image from the exported model and shape-checks labels', async () => {
    const clf = await load(versionDir);
    const r = await clf.classify(
      samples.find((s) => s.slug === SUBSET[1] && !s.path.includes('corrupt'))?.path as string,
    );
    expect(r.ranked).toHaveLength(3);
    expect(r.ranked.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 6);
    expect(r.modelVersion).toBe(clf.version);
    expect(r.embedding).toHaveLength(clf.manifest.embeddingSize);
    // Declared as none of the bank's crops: the grape disease is withheld, the ranking kept.
    const path = samples.find((s) => s.slug === SUBSET[1] && !s.path.includes('corrupt'))?.path;
    const other = await clf.classify(path as string, { crop: OTHER_CROP });
    expect(other).toMatchObject({ abstained: true, reason: 'crop_not_covered' });
    expect(other.ranked.map((x) => x.slug)).toEqual(r.ranked.map((x) => x.slug));
    // A covered crop, or the context switched off, answers as before.
    expect((await clf.classify(path as string, { crop: 'grape' })).reason).not.toBe(
      'crop_not_covered',
    );
    const off = await clf.classify(path as string, { crop: OTHER_CROP }, { usePriors: false });
    expect(off.reason).toBe(r.reason);
    clf.dispose();
  });

  it('reads a refused photo again on centred close-ups (the second look)', async (ctx) => {
    if (!hasSkimage) ctx.skip();
    const clf = await load(versionDir);
    try {
      const closeUp = clf.calibration.abstention.closeUp;
      expect(closeUp?.shares).toEqual(CLOSE_UP_SHARES);
      expect(closeUp?.maxOodScore).toBeGreaterThan(0);
      expect(closeUp?.maxOodScore).toBeLessThanOrEqual(1);
      // A grape leaf the model never saw, at 55 % of the frame on skimage's brick wall.
      const bankLeaf = (await listImages(join(BANK, SUBSET[1])))[20];
      const leaf = await sharp(bankLeaf).resize(246).toBuffer();
      const photo = await sharp(join(SKIMAGE, 'brick.png'))
        .resize(448, 448)
        .removeAlpha()
        .composite([{ input: leaf, gravity: 'centre' }])
        .jpeg({ quality: 90 })
        .toBuffer();
      const d = await decodeImage(photo);
      const view = (region?: Region) =>
        clf.classifyInput(preprocessRgba(d.pixels, d.width, d.height, 3, region));
      const whole = view();
      expect(whole.reason).toBe('out_of_distribution');
      const r = await clf.classify(photo);
      expect(r.abstained).toBe(false);
      expect(r.ranked[0].slug).toBe(SUBSET[1]);
      expect(r.closeUpShare).toBeDefined();
      // Exactly the close-up pickView chose, computed view by view.
      const closeUps = closeUpRegions(d.width, d.height, CLOSE_UP_SHARES).map(
        ({ share, region }) => ({ share, result: view(region) }),
      );
      expect(closeUps).toHaveLength(2);
      const expected = pickView(whole, closeUps, closeUp);
      expect(r.closeUpShare).toBe(expected.closeUpShare);
      expect(r.ranked).toEqual(expected.ranked);
    } finally {
      clf.dispose();
    }
  });

  it('ships the exact quantized backbone the head was trained on', async () => {
    const prepared = await prepareBackbone(BACKBONE, await tempDir('cache'), 'mixed');
    expect(await hashModelDir(join(versionDir, 'backbone'))).toBe(prepared.hash);
    const json = JSON.parse(await readFile(join(versionDir, 'backbone', 'model.json'), 'utf8')) as {
      weightsManifest: { weights: { quantization?: { dtype: string } }[] }[];
    };
    const dtypes = json.weightsManifest.flatMap((g) => g.weights.map((w) => w.quantization?.dtype));
    expect(dtypes).toContain('uint8');
  });

  it.skipIf(!hasSkimage)('abstains on real non-plant photos', async () => {
    const clf = await load(versionDir);
    const refused = [];
    for (const name of NONPLANT) refused.push((await clf.classify(join(SKIMAGE, name))).abstained);
    clf.dispose();
    expect(refused.filter(Boolean).length).toBeGreaterThanOrEqual(NONPLANT.length - 1);
  });

  it.skipIf(!hasSkimage)(
    "ships the backbone's own ImageNet classifier as a check that refuses a cat",
    async () => {
      const clf = await load(versionDir);
      const check = clf.calibration.abstention.imagenet;
      expect(check?.classes.length).toBeGreaterThan(0);
      expect(check?.minMass).toBeGreaterThan(0);
      // Top-1 ImageNet classes as the full float model gives them (../shared/models SOURCE.md):
      // the low-rank, quantized copy must still read photos the same way.
      const top1 = async (name: string): Promise<number> => {
        const logits = (await clf.classify(join(SKIMAGE, name))).imagenetLogits as Float32Array;
        return logits.indexOf(Math.max(...logits));
      };
      expect(await top1('chelsea.png')).toBe(285); // Egyptian cat
      expect(await top1('coffee.png')).toBe(967); // espresso
      expect(await top1('motorcycle_left.png')).toBe(665); // moped
      const cat = await clf.classify(join(SKIMAGE, 'chelsea.png'));
      expect(cat.imagenetMass).toBeLessThan(check?.minMass as number);
      expect(cat.reason).toBe('out_of_distribution');
      const leaf = await clf.classify(
        samples.find((s) => s.slug === SUBSET[2] && !s.path.includes('corrupt'))?.path as string,
      );
      expect(leaf.imagenetMass).toBeGreaterThanOrEqual(check?.minMass as number);
      clf.dispose();
    },
  );

  describe('eval CLI', () => {
    const evalCli = (args: string[]) =>
      spawnSync('npx', ['tsx', 'src/cli/eval.ts', ...args], {
        cwd: join(REPO_ROOT, 'model'),
        env: { ...process.env, MODEL_DIR: modelDir },
        encoding: 'utf8',
      });

    it('prints one JSON object with every field', async () => {
      const data = await tempDir('evaldata');
      await makeSubset(data, SUBSET.slice(0, 2), 3, 40);
      if (hasSkimage) await makeSubsetUnknown(data);
      const res = evalCli(['--data', data, '--json', '--baseline', 'knn']);
      expect(res.status).toBe(0);
      const lines = res.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const out = JSON.parse(lines[0]) as Record<string, unknown>;
      for (const report of [out, out.ours as Record<string, unknown>]) {
        expect(report.n).toBe(6);
        for (const k of ['top1', 'top3', 'ece', 'abstain_rate_known', 'ms_per_image']) {
          expect(typeof report[k]).toBe('number');
        }
        expect(
          report.selective_accuracy === null || typeof report.selective_accuracy === 'number',
        ).toBe(true);
        expect(hasSkimage ? typeof report.refusal_rate_unknown : report.refusal_rate_unknown).toBe(
          hasSkimage ? 'number' : null,
        );
        expect(Object.keys(report.per_class as object).sort()).toEqual(SUBSET.slice(0, 2).sort());
        expect(Array.isArray(report.confusion)).toBe(true);
        expect(typeof report.model_version).toBe('string');
      }
      expect(out.baseline).toBe('knn');
      expect(out.top1).toBeGreaterThanOrEqual(0.5); // kNN on 12 images per class, easy classes
    });

    it('reads symlinked class folders, and gives null scores when no photo is of a known class', async () => {
      const photos = await tempDir('evalphotos');
      await makeSubset(photos, [SUBSET[0]], 2, 40);
      const linked = await tempDir('evallinked');
      await symlink(join(photos, SUBSET[0]), join(linked, SUBSET[0]));
      const withClass = evalCli(['--data', linked, '--json']);
      expect(withClass.status).toBe(0);
      const scored = JSON.parse(withClass.stdout) as Record<string, unknown>;
      expect(scored.n).toBe(2);
      expect(typeof scored.top1).toBe('number');

      // Only photos that must be refused: nothing to score top-1 on, which is not "0 % right".
      const refuseOnly = await tempDir('evalrefuse');
      await symlink(join(photos, SUBSET[0]), join(refuseOnly, 'unknown'));
      const res = evalCli(['--data', refuseOnly, '--json']);
      expect(res.status).toBe(0);
      const out = JSON.parse(res.stdout) as Record<string, unknown>;
      expect(out.n).toBe(0);
      expect(out.n_unknown).toBe(2);
      for (const k of ['top1', 'top3', 'ece', 'abstain_rate_known', 'selective_accuracy'])
        expect(out[k]).toBeNull();
      expect(typeof out.refusal_rate_unknown).toBe('number');
    });

    it('says a model trained without the kNN baseline has none, and still evaluates it alone', async () => {
      const bare = await tempDir('models-nobaseline');
      const out = await trainAndExport({
        samples: samples.filter((x) => !x.path.includes('corrupt')),
        classes,
        backboneDir: BACKBONE,
        cacheDir: cache,
        modelDir: bare,
        workers: 0,
        head,
        baseline: false,
        log: () => {},
        warn: () => {},
      });
      const metrics = JSON.parse(await readFile(join(out.dir, 'metrics.json'), 'utf8')) as {
        knn_baseline_test: unknown;
      };
      expect(metrics.knn_baseline_test).toBeNull();
      const data = await tempDir('evaldata-bare');
      await makeSubset(data, SUBSET.slice(0, 2), 1, 40);
      const run = (args: string[]) =>
        spawnSync('npx', ['tsx', 'src/cli/eval.ts', ...args], {
          cwd: join(REPO_ROOT, 'model'),
          env: { ...process.env, MODEL_DIR: bare },
          encoding: 'utf8',
        });
      const refused = run(['--data', data, '--json', '--baseline', 'knn']);
      expect(refused.status).toBe(2);
      const err = JSON.parse(refused.stdout.trim()) as { error: { code: string; message: string } };
      expect(err.error.code).toBe('NO_BASELINE');
      expect(err.error.message).toContain('npm run model:train');
      const alone = run(['--data', data, '--json']);
      expect(alone.status).toBe(0);
      expect((JSON.parse(alone.stdout) as { n: number }).n).toBe(2);
    }, 240_000);

    it('refuses a class folder the model does not know, without a stack trace', async () => {
      const data = await tempDir('evalbad');
      await makeSubset(data, ['apple_scab'], 1);
      const res = evalCli(['--data', data, '--json']);
      expect(res.status).not.toBe(0);
      const out = JSON.parse(res.stdout.trim()) as { error: { code: string; message: string } };
      expect(out.error.code).toBe('UNKNOWN_CLASS');
      expect(out.error.message).toContain('apple_scab');
      expect(res.stderr).toContain('apple_scab');
      expect(res.stderr).not.toMatch(/\n\s+at /);
    });
  });
});

async function makeSubsetUnknown(dir: string): Promise<void> {
  const { mkdir, copyFile } = await import('node:fs/promises');
  await mkdir(join(dir, 'unknown'), { recursive: true });
  for (const n of NONPLANT.slice(0, 2)) await copyFile(join(SKIMAGE, n), join(dir, 'unknown', n));
}
