// Writes the MobileNetV2 model nsfwjs ships (its tfjs Layers model.json and the single weight shard,
// base64 inside .min.js bundles) as plain files, for convert_nsfwjs.py.
// Usage: node extract_model.cjs <node_modules dir holding nsfwjs> <output dir>
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, out] = process.argv.slice(2);
if (!modules || !out) {
  console.error('usage: node extract_model.cjs <node_modules> <output dir>');
  process.exit(2);
}
const pkg = path.join(modules, 'nsfwjs');
const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
if (version !== '4.4.0') {
  console.error(`expected nsfwjs 4.4.0, found ${version}`);
  process.exit(1);
}
const dir = path.join(pkg, 'dist', 'models', 'mobilenet_v2');
const unwrap = (m) => (m && m.default !== undefined ? m.default : m);
const model = unwrap(require(path.join(dir, 'model.min.js')));
const manifest = model.weightsManifest;
if (manifest.length !== 1 || manifest[0].paths.length !== 1 || manifest[0].paths[0] !== 'group1-shard1of1') {
  console.error('unexpected weights manifest: ' + JSON.stringify(manifest.map((g) => g.paths)));
  process.exit(1);
}
const shard = unwrap(require(path.join(dir, 'group1-shard1of1.min.js')));
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(model));
fs.writeFileSync(path.join(out, 'group1-shard1of1.bin'), Buffer.from(shard, 'base64'));
console.log(`nsfwjs ${version}: wrote model.json and group1-shard1of1.bin to ${out}`);
