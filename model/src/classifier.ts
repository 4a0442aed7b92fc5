// The one Node-side module around TF.js for inference: load an exported version, classify photos.
// The browser worker does the same with preprocess + classifier-core.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Calibration, ClassifierResult, Context, PostprocessOptions } from './classifier-core';
import {
  IMAGENET_CLASSES,
  checkCropCoverage,
  needsCloseUps,
  pickView,
  postprocess,
} from './classifier-core';
import { INPUT_SIZE, closeUpRegions, preprocessRgba } from './preprocess';
import type { Region } from './preprocess';
import { readAndDispose } from './read-tensor';
import { decodeImage } from './node/decode';
import type { DecodedImage } from './node/decode';
import { fileLoader } from './node/model-files';
import { initTf, tf } from './node/tf-backend';
import type { Manifest } from './train/export-model';

export interface Classification extends ClassifierResult {
  embedding: Float32Array;
  logits: Float32Array;
  /** The ImageNet check's 1000 logits (null when the version has no such check). */
  imagenetLogits: Float32Array | null;
}

export interface Classifier {
  readonly version: string;
  readonly labels: string[];
  readonly calibration: Calibration;
  readonly manifest: Manifest;
  /** A photo: the whole of it, then, if needed, its close-ups (Calibration.abstention.closeUp). */
  classify(
    input: string | Buffer | DecodedImage,
    context?: Context | null,
    options?: PostprocessOptions,
  ): Promise<Classification>;
  /** Model input already preprocessed (224·224·3 floats in [-1, 1]): one view, no close-up. */
  classifyInput(
    input: Float32Array,
    context?: Context | null,
    options?: PostprocessOptions,
  ): Classification;
  dispose(): void;
}

export async function load(versionDir: string): Promise<Classifier> {
  await initTf();
  const readJson = async <T>(name: string): Promise<T> =>
    JSON.parse(await readFile(join(versionDir, name), 'utf8')) as T;
  const manifest = await readJson<Manifest>('manifest.json');
  const labels = await readJson<string[]>('labels.json');
  const calibration = await readJson<Calibration>('calibration.json');
  if (calibration.labels.join() !== labels.join()) {
    throw new Error(`${versionDir}: calibration.json labels differ from labels.json`);
  }
  const backbone = await tf.loadLayersModel(fileLoader(join(versionDir, 'backbone')));
  const head = await tf.loadLayersModel(fileLoader(join(versionDir, 'head')));
  // Versions trained before the ImageNet check have no imagenet/ and no calibration for it.
  const imagenet = calibration.abstention.imagenet
    ? await tf.loadLayersModel(fileLoader(join(versionDir, 'imagenet')))
    : null;
  const disposeAll = (): void => {
    backbone.dispose();
    head.dispose();
    imagenet?.dispose();
  };
  const check = (model: tf.LayersModel, expected: number, what: string): void => {
    const shape = model.outputs[0].shape;
    if (shape.length !== 2 || shape[1] !== expected) {
      disposeAll();
      throw new Error(
        `${versionDir}: ${what} outputs ${JSON.stringify(shape)}, expected [null, ${expected}]`,
      );
    }
  };
  check(backbone, manifest.embeddingSize, 'backbone');
  check(head, labels.length, `head (labels.json has ${labels.length} labels)`);
  if (imagenet) check(imagenet, IMAGENET_CLASSES, 'imagenet');

  const classifyInput = (
    input: Float32Array,
    context?: Context | null,
    options?: PostprocessOptions,
  ): Classification => {
    const [embedding, logits, imagenetLogits = null] = readAndDispose(
      ...tf.tidy(() => {
        const e = backbone.predict(tf.tensor4d(input, [1, INPUT_SIZE, INPUT_SIZE, 3])) as tf.Tensor;
        const outputs = [e, head.predict(e) as tf.Tensor];
        if (imagenet) outputs.push(imagenet.predict(e) as tf.Tensor);
        return outputs;
      }),
    );
    // Output sizes were checked at load; postprocess re-checks the scores against the labels.
    const result = postprocess(logits, embedding, calibration, context, options, imagenetLogits);
    return { ...result, embedding, logits, imagenetLogits };
  };
  return {
    version: manifest.version,
    labels,
    calibration,
    manifest,
    classifyInput,
    classify: async (input, context, options) => {
      const img =
        typeof input === 'string' || Buffer.isBuffer(input) ? await decodeImage(input) : input;
      const view = (region?: Region): Classification =>
        classifyInput(
          preprocessRgba(img.pixels, img.width, img.height, img.channels, region),
          context,
          options,
        );
      // As the browser worker does: a crop the bank does not cover gets no crop-specific name.
      const covered = (r: Classification): Classification =>
        options?.usePriors === false ? r : checkCropCoverage(r, calibration, context);
      const whole = view();
      const closeUp = calibration.abstention.closeUp;
      if (!closeUp || !needsCloseUps(whole, closeUp)) return covered(whole);
      const closeUps = closeUpRegions(img.width, img.height, closeUp.shares).map(
        ({ share, region }) => ({ share, result: view(region) }),
      );
      return covered(pickView(whole, closeUps, closeUp));
    },
    dispose: disposeAll,
  };
}

/** Resolves `--model` (a version name or a directory) and MODEL_DIR/current.json. */
export async function resolveVersionDir(modelDir: string, model?: string): Promise<string> {
  if (model && (model.includes('/') || model.includes('\\'))) return model;
  const version =
    model ??
    (JSON.parse(await readFile(join(modelDir, 'current.json'), 'utf8')) as { version: string })
      .version;
  return join(modelDir, version);
}
