// Classifies raw RGB images with nsfwjs 4.4.0 on the pure-JavaScript tfjs backend and prints, as JSON, the
// five class probabilities of each in nsfwjs's class order. The images are decoded by the caller (the Java
// test), so both sides start from the same pixels and the comparison covers resize, scaling and the model.
// Usage: node classify.cjs <node_modules dir> <manifest.json>
//   manifest: [{"name": "...", "file": "<raw RGB bytes>", "width": w, "height": h}, ...]
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

async function main() {
  const [modules, manifestFile] = process.argv.slice(2);
  const load = createRequire(path.join(path.resolve(modules), '..', 'package.json'));
  const tf = load('@tensorflow/tfjs');
  const nsfwjs = load('nsfwjs');
  await tf.setBackend('cpu');
  const info = console.info;
  console.info = () => {}; // nsfwjs prints which model it loads; keep stdout pure JSON
  const model = await nsfwjs.load('MobileNetV2');
  console.info = info;
  const images = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const results = [];
  for (const image of images) {
    const bytes = fs.readFileSync(image.file);
    if (bytes.length !== image.width * image.height * 3) {
      throw new Error(`${image.name}: ${bytes.length} bytes for ${image.width}x${image.height}`);
    }
    const pixels = tf.tensor3d(Int32Array.from(bytes), [image.height, image.width, 3], 'int32');
    const predictions = await model.classify(pixels, 5);
    pixels.dispose();
    const byClass = Object.fromEntries(predictions.map((p) => [p.className, p.probability]));
    results.push({ name: image.name, probabilities: ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'].map((c) => byClass[c]) });
  }
  process.stdout.write(JSON.stringify({ backend: tf.getBackend(), tfjs: tf.version.tfjs, results }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
