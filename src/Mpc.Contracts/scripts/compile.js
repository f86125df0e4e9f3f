#!/usr/bin/env node
// Compiles src/Mpc.Contracts/contracts/*.sol with the solc npm package pinned in the repository's
// package.json (standard-JSON API) and writes one deterministic artifact per contract to
// src/Mpc.Contracts/compiled/<Contract>.json. The artifacts are committed; the C# side embeds them.
//
//   node src/Mpc.Contracts/scripts/compile.js            regenerate the committed artifacts
//   node src/Mpc.Contracts/scripts/compile.js --check    exit 1 if the committed artifacts are stale
//   node src/Mpc.Contracts/scripts/compile.js --out DIR  write (or with --check: compare) DIR instead
//
// Determinism: sources are read in sorted order under stable names, the metadata hash is left out of
// the bytecode (so line endings or comments cannot change it), and the JSON is written with fixed key
// order, two-space indentation, '\n' line endings and a trailing newline.
'use strict';

const fs = require('fs');
const path = require('path');

const projectDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(projectDir, '..', '..');
const contractsDir = path.join(projectDir, 'contracts');
const artifactsDir = path.join(projectDir, 'compiled');
const regenerateCommand = 'node src/Mpc.Contracts/scripts/compile.js';

// Compiler settings: part of every artifact, so a change here shows up in --check.
const settings = {
  evmVersion: 'cancun', // runs on anvil (default: latest hardfork) and on every current public chain
  viaIR: true,
  optimizer: { enabled: true, runs: 10000 }, // runtime gas (postResult) over deployment size
  metadata: { bytecodeHash: 'none' },
  outputSelection: {
    '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'] },
  },
};

function fail(message) {
  process.stderr.write(`compile.js: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const options = { check: false, out: artifactsDir };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') options.check = true;
    else if (arg === '--out') {
      if (i + 1 >= argv.length) fail('--out needs a directory');
      options.out = path.resolve(argv[++i]);
    } else fail(`unknown argument '${arg}' (expected --check or --out DIR)`);
  }
  return options;
}

function loadSolc() {
  let solc;
  try {
    solc = require(path.join(repoRoot, 'node_modules', 'solc'));
  } catch (e) {
    fail(`cannot load the solc package (${e.message}); run 'npm ci' at the repository root`);
  }
  const pinned = require(path.join(repoRoot, 'package.json')).devDependencies.solc;
  const actual = solc.version();
  if (!actual.startsWith(`${pinned}+`)) {
    fail(`node_modules has solc ${actual} but package.json pins ${pinned}; run 'npm ci' at the repository root`);
  }
  return solc;
}

function readSources() {
  const files = fs.readdirSync(contractsDir).filter((f) => f.endsWith('.sol')).sort();
  if (files.length === 0) fail(`no .sol files in ${contractsDir}`);
  const sources = {};
  for (const f of files) {
    // Normalise line endings so a Windows checkout compiles to the same artifacts.
    const content = fs.readFileSync(path.join(contractsDir, f), 'utf8').replace(/\r\n/g, '\n');
    sources[`contracts/${f}`] = { content };
  }
  return sources;
}

function compile(solc, sources) {
  const input = { language: 'Solidity', sources, settings };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const diagnostics = output.errors || [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics) process.stderr.write(`${d.formattedMessage || d.message}\n`);
  if (errors.length > 0) fail(`${errors.length} compiler error(s)`);
  // Warnings fail too: the C# side builds with warnings as errors, and so do the contracts.
  if (diagnostics.length > 0) fail(`${diagnostics.length} compiler warning(s)`);
  return output;
}

function sortedObject(obj) {
  const out = {};
  for (const key of Object.keys(obj).sort()) out[key] = obj[key];
  return out;
}

function buildArtifacts(solc, sources, output) {
  const artifacts = {};
  const { outputSelection, ...recordedSettings } = settings;
  for (const sourceName of Object.keys(output.contracts).sort()) {
    for (const contractName of Object.keys(output.contracts[sourceName]).sort()) {
      const c = output.contracts[sourceName][contractName];
      if (!c.evm.bytecode.object) continue; // interfaces and abstract contracts have no bytecode
      const artifact = {
        contractName,
        sourceName,
        compiler: { name: 'solc', version: solc.version(), settings: recordedSettings },
        abi: c.abi,
        methodIdentifiers: sortedObject(c.evm.methodIdentifiers),
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      };
      if (artifacts[`${contractName}.json`]) fail(`two contracts named ${contractName}`);
      artifacts[`${contractName}.json`] = `${JSON.stringify(artifact, null, 2)}\n`;
    }
  }
  return artifacts;
}

function check(artifacts, dir) {
  const stale = [];
  for (const [file, text] of Object.entries(artifacts)) {
    const p = path.join(dir, file);
    const committed = fs.existsSync(p) ? fs.readFileSync(p, 'utf8').replace(/\r\n/g, '\n') : null;
    if (committed === null) stale.push(`${file} is missing`);
    else if (committed !== text) stale.push(`${file} differs from a fresh compilation`);
  }
  const extra = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !(f in artifacts))
    : [];
  for (const f of extra) stale.push(`${f} has no contract in ${path.relative(repoRoot, contractsDir)}`);
  if (stale.length > 0) {
    const shown = path.relative(repoRoot, dir);
    fail(`artifacts in ${shown.startsWith('..') ? dir : shown} are out of date:\n  ${stale.join('\n  ')}\n` +
      `Regenerate them with '${regenerateCommand}' (from the repository root) and commit the result.`);
  }
  process.stdout.write(`artifacts up to date (${Object.keys(artifacts).join(', ')})\n`);
}

function write(artifacts, outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  for (const [file, text] of Object.entries(artifacts)) {
    fs.writeFileSync(path.join(outDir, file), text);
    process.stdout.write(`wrote ${path.join(outDir, file)}\n`);
  }
}

const options = parseArgs(process.argv.slice(2));
const solc = loadSolc();
const sources = readSources();
const artifacts = buildArtifacts(solc, sources, compile(solc, sources));
if (options.check) check(artifacts, options.out);
else write(artifacts, options.out);
