#!/usr/bin/env node
// Dev tool: exercises the compiled SecretContracts artifact on a real anvil node, with no Ethereum
// library — raw JSON-RPC, anvil's unlocked dev accounts (eth_sendTransaction) and their EIP-712
// signatures (eth_signTypedData_v4). Prints the gas of each step as one JSON object on stdout.
//
//   node src/Mpc.Contracts/scripts/devchain-check.js            start anvil from node_modules/.bin
//   node src/Mpc.Contracts/scripts/devchain-check.js --rpc URL  use a running node with unlocked accounts
//
// It checks the happy path (register 3 nodes, cluster t=1, deploy, job, commitments, result with 3
// signatures, fee withdrawal), the main rejections (late commitment, early result, too few, duplicate,
// non-member and malleated signatures) and the fee refund and slashing paths. Exit code 1 on any failure.
'use strict';

const assert = require('assert');
const { spawn } = require('child_process');
const net = require('net');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const { keccak256: keccakHex } = require(path.join(repoRoot, 'node_modules', 'js-sha3'));
const artifact = require(path.join(__dirname, '..', 'compiled', 'SecretContracts.json'));

const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const ETH = 10n ** 18n;

// ---- minimal ABI codec (the types this contract uses) ----------------------------------------------

const keccak = (hexOrBytes) => '0x' + keccakHex(typeof hexOrBytes === 'string' ? hexToBytes(hexOrBytes) : hexOrBytes);
const hexToBytes = (h) => Buffer.from(h.replace(/^0x/, ''), 'hex');
const word = (n) => BigInt.asUintN(256, BigInt(n)).toString(16).padStart(64, '0');
const isDynamic = (t) => t === 'string' || t === 'bytes' || t.endsWith('[]');

function encodeOne(type, value) {
  if (type.endsWith('[]')) {
    const inner = type.slice(0, -2);
    return word(value.length) + encodeTuple(value.map(() => inner), value);
  }
  if (type === 'string' || type === 'bytes') {
    const b = type === 'string' ? Buffer.from(value, 'utf8') : hexToBytes(value);
    const hex = b.toString('hex');
    return word(b.length) + hex.padEnd(Math.ceil(hex.length / 64) * 64, '0');
  }
  if (type === 'bytes32') return value.replace(/^0x/, '').padStart(64, '0');
  if (type === 'address') return value.replace(/^0x/, '').toLowerCase().padStart(64, '0');
  if (type === 'bool') return word(value ? 1 : 0);
  return word(value); // uintN
}

function encodeTuple(types, values) {
  let head = '';
  let tail = '';
  const headSize = 32 * types.length;
  types.forEach((t, i) => {
    if (isDynamic(t)) {
      head += word(headSize + tail.length / 2);
      tail += encodeOne(t, values[i]);
    } else head += encodeOne(t, values[i]);
  });
  return head + tail;
}

function decodeOne(type, data, offset) {
  const at = (o) => BigInt('0x' + data.slice(o * 2, o * 2 + 64));
  if (isDynamic(type)) {
    const start = Number(at(offset));
    const len = Number(at(start));
    if (type.endsWith('[]')) {
      const inner = type.slice(0, -2);
      const body = data.slice((start + 32) * 2);
      return Array.from({ length: len }, (_, i) => decodeOne(inner, body, 32 * i));
    }
    const b = Buffer.from(data.slice((start + 32) * 2, (start + 32 + len) * 2), 'hex');
    return type === 'string' ? b.toString('utf8') : '0x' + b.toString('hex');
  }
  const raw = data.slice(offset * 2, offset * 2 + 64);
  if (type === 'address') return '0x' + raw.slice(24);
  if (type === 'bytes32') return '0x' + raw;
  if (type === 'bool') return BigInt('0x' + raw) !== 0n;
  return BigInt('0x' + raw);
}

const fn = (name) => {
  const entry = artifact.abi.find((e) => e.type === 'function' && e.name === name);
  if (!entry) throw new Error(`no function ${name} in the ABI`);
  const sig = `${name}(${entry.inputs.map((i) => i.type).join(',')})`;
  return { entry, selector: '0x' + artifact.methodIdentifiers[sig] };
};
const errorSelectors = Object.fromEntries(
  artifact.abi
    .filter((e) => e.type === 'error')
    .map((e) => [keccak(Buffer.from(`${e.name}(${e.inputs.map((i) => i.type).join(',')})`)).slice(0, 10), e.name]),
);
const eventTopic = (name) => {
  const e = artifact.abi.find((x) => x.type === 'event' && x.name === name);
  return keccak(Buffer.from(`${name}(${e.inputs.map((i) => i.type).join(',')})`));
};

// ---- JSON-RPC -----------------------------------------------------------------------------------------

let rpcUrl;
let rpcId = 0;
async function rpc(method, params = []) {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
  });
  const body = await res.json();
  if (body.error) {
    const err = new Error(`${method}: ${body.error.message}`);
    err.data = typeof body.error.data === 'string' ? body.error.data : body.error.data?.data;
    throw err;
  }
  return body.result;
}

let contract;
/** Sends a transaction and waits for its receipt (anvil mines it at once, other nodes may not). */
async function transact(tx) {
  const hash = await rpc('eth_sendTransaction', [tx]);
  for (let i = 0; i < 200; i++) {
    const receipt = await rpc('eth_getTransactionReceipt', [hash]);
    if (receipt) return receipt;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no receipt for ${hash}`);
}
async function send(from, name, args, value = 0n) {
  const { entry, selector } = fn(name);
  const data = selector + encodeTuple(entry.inputs.map((i) => i.type), args);
  const receipt = await transact({ from, to: contract, data, value: '0x' + value.toString(16) });
  assert.strictEqual(receipt.status, '0x1', `${name} reverted`);
  return receipt;
}
async function call(name, args) {
  const { entry, selector } = fn(name);
  const data = selector + encodeTuple(entry.inputs.map((i) => i.type), args);
  const out = (await rpc('eth_call', [{ to: contract, data }, 'latest'])).slice(2);
  return entry.outputs.map((o, i) => decodeOne(o.type, out, 32 * i));
}
async function expectRevert(expectedError, from, name, args, value = 0n) {
  const { entry, selector } = fn(name);
  const data = selector + encodeTuple(entry.inputs.map((i) => i.type), args);
  try {
    await rpc('eth_estimateGas', [{ from, to: contract, data, value: '0x' + value.toString(16) }]);
  } catch (e) {
    const got = e.data ? errorSelectors[e.data.slice(0, 10)] : undefined;
    assert.strictEqual(got, expectedError, `${name}: expected ${expectedError}, got ${e.message} ${e.data}`);
    return;
  }
  assert.fail(`${name} did not revert (expected ${expectedError})`);
}
const gas = (receipt) => Number(BigInt(receipt.gasUsed));
const balance = async (a) => BigInt(await rpc('eth_getBalance', [a, 'latest']));
const now = async () => Number(BigInt((await rpc('eth_getBlockByNumber', ['latest', false])).timestamp));
async function warp(seconds) {
  await rpc('evm_increaseTime', [seconds]);
  await rpc('evm_mine', []);
}

// ---- EIP-712 ------------------------------------------------------------------------------------------

async function signResult(signer, jobId, outputsHash, outputCommitment) {
  const chainId = Number(BigInt(await rpc('eth_chainId')));
  const typed = {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      Result: [
        { name: 'jobId', type: 'uint256' },
        { name: 'outputsHash', type: 'bytes32' },
        { name: 'outputCommitment', type: 'bytes32' },
      ],
    },
    primaryType: 'Result',
    domain: { name: 'MpcCompute', version: '1', chainId, verifyingContract: contract },
    message: { jobId: jobId.toString(), outputsHash, outputCommitment },
  };
  return rpc('eth_signTypedData_v4', [signer, typed]);
}

/** The malleated twin (r, n - s, v ^ 1) of a signature: valid for raw ecrecover, rejected by the contract. */
function malleate(sig) {
  const h = sig.slice(2);
  const s = BigInt('0x' + h.slice(64, 128));
  const v = parseInt(h.slice(128, 130), 16);
  return '0x' + h.slice(0, 64) + (ORDER - s).toString(16).padStart(64, '0') + (v === 27 ? '1c' : '1b');
}

// ---- anvil --------------------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startAnvil() {
  const port = await freePort();
  const bin = path.join(repoRoot, 'node_modules', '.bin', 'anvil');
  const child = spawn(bin, ['--host', '127.0.0.1', '--port', String(port), '--silent'], { stdio: 'ignore' });
  rpcUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await rpc('eth_chainId');
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error(`anvil did not answer on ${rpcUrl}`);
}

// ---- scenario -----------------------------------------------------------------------------------------

async function main() {
  const argv = process.argv.slice(2);
  let anvil;
  if (argv[0] === '--rpc' && argv[1]) rpcUrl = argv[1];
  else anvil = await startAnvil();
  try {
    await run();
  } finally {
    if (anvil) anvil.kill();
  }
}

async function run() {
  const accounts = await rpc('eth_accounts');
  const [deployer, n1, n2, n3, n4, client, outsider] = accounts;
  const figures = {};
  const minStake = ETH;
  const exitDelay = 3600n;

  const deployData = artifact.bytecode + encodeTuple(['uint256', 'uint64'], [minStake, exitDelay]);
  const deployReceipt = await transact({ from: deployer, data: deployData });
  assert.strictEqual(deployReceipt.status, '0x1', 'deployment reverted');
  contract = deployReceipt.contractAddress;
  figures.deploy_gas = gas(deployReceipt);

  await expectRevert('StakeTooLow', n1, 'registerNode', ['127.0.0.1:1', keccak(Buffer.from('x'))], ETH / 2n);
  const regs = [];
  for (const [i, n] of [n1, n2, n3, n4].entries()) {
    regs.push(gas(await send(n, 'registerNode', [`127.0.0.1:${7001 + i}`, keccak(Buffer.from(`cert${i}`))], minStake)));
  }
  figures.register_node_gas = regs[0];
  await expectRevert('AlreadyRegistered', n1, 'registerNode', ['127.0.0.1:1', keccak(Buffer.from('x'))], minStake);
  const node1 = await call('getNode', [n1]);
  assert.strictEqual(node1[0], '127.0.0.1:7001');
  assert.strictEqual(node1[2], minStake);
  assert.strictEqual(node1[4], 1n);

  await expectRevert('InvalidThreshold', deployer, 'createCluster', [[n1, n2], 1]);
  await expectRevert('DuplicateMember', deployer, 'createCluster', [[n1, n2, n1], 1]);
  await expectRevert('NodeNotActive', deployer, 'createCluster', [[n1, n2, outsider], 1]);
  const clusterReceipt = await send(deployer, 'createCluster', [[n1, n2, n3], 1]);
  figures.create_cluster_gas = gas(clusterReceipt);
  const clusterTopic = clusterReceipt.logs[0].topics;
  assert.strictEqual(clusterTopic[0], eventTopic('ClusterCreated'));
  const clusterId = BigInt(clusterTopic[1]);
  const [memberList, t] = await call('getCluster', [clusterId]);
  assert.deepStrictEqual(memberList, [n1, n2, n3].map((a) => a.toLowerCase()));
  assert.strictEqual(t, 1n);

  const circuitId = keccak(Buffer.from('circuit'));
  figures.deploy_contract_gas = gas(await send(deployer, 'deployContract', [circuitId, clusterId]));
  const contractId = 1n;
  assert.deepStrictEqual((await call('getContract', [contractId])).slice(0, 2), [circuitId, clusterId]);

  const fee = 10n ** 18n + 2n; // not divisible by 3: the lowest-index signer gets the remainder
  const deadline = BigInt((await now()) + 600);
  const jobReceipt = await send(client, 'createJob', [contractId, deadline, 600n], fee);
  figures.create_job_gas = gas(jobReceipt);
  const jobId = BigInt(jobReceipt.logs[0].topics[1]);

  const commits = [0, 1, 2].map((i) => keccak(Buffer.from(`share${i}salt${i}`)));
  await expectRevert('WrongCommitmentCount', client, 'commitInputs', [jobId, commits.slice(0, 2)]);
  figures.commit_inputs_gas = gas(await send(client, 'commitInputs', [jobId, commits]));
  assert.deepStrictEqual((await call('getCommitments', [jobId, client]))[0], commits);
  await expectRevert('InputsAlreadyCommitted', client, 'commitInputs', [jobId, commits]);

  const outputs = [keccak(Buffer.from('output 0'))];
  const outputsHash = keccak(hexToBytes(outputs[0]));
  const outputCommitment = keccak(Buffer.from('output commitment'));
  const [digest] = await call('resultDigest', [jobId, outputsHash, outputCommitment]);
  const sigs = [];
  for (const s of [n3, n1, n2]) sigs.push(await signResult(s, jobId, outputsHash, outputCommitment));
  const args = (signatures) => [jobId, outputs, outputCommitment, signatures];

  await expectRevert('InputPhaseNotOver', outsider, 'postResult', args(sigs));
  await warp(601);
  await expectRevert('InputDeadlinePassed', outsider, 'commitInputs', [jobId, commits]);
  await expectRevert('NotEnoughSignatures', outsider, 'postResult', args(sigs.slice(0, 1)));
  await expectRevert('DuplicateSigner', outsider, 'postResult', args([sigs[0], sigs[1], sigs[0]]));
  const foreign = await signResult(n4, jobId, outputsHash, outputCommitment);
  await expectRevert('NotClusterMember', outsider, 'postResult', args([sigs[0], foreign]));
  assert.ok(BigInt('0x' + malleate(sigs[1]).slice(66, 130)) > HALF_ORDER);
  await expectRevert('InvalidSignature', outsider, 'postResult', args([sigs[0], malleate(sigs[1])]));
  const wrongOutputs = [keccak(Buffer.from('other'))];
  await expectRevert('NotClusterMember', outsider, 'postResult', [jobId, wrongOutputs, outputCommitment, sigs]);

  const postReceipt = await send(outsider, 'postResult', args(sigs));
  figures.post_result_3_signers_1_output_gas = gas(postReceipt);
  const posted = postReceipt.logs.find((l) => l.topics[0] === eventTopic('ResultPosted'));
  assert.ok(posted, 'no ResultPosted event');
  const [posted_, storedHash, storedCommitment] = await call('getResult', [jobId]);
  assert.deepStrictEqual([posted_, storedHash, storedCommitment], [true, outputsHash, outputCommitment]);
  await expectRevert('JobNotOpen', outsider, 'postResult', args(sigs));

  const share = fee / 3n;
  const remainder = fee - share * 3n;
  assert.strictEqual((await call('pendingFees', [clusterId, n1]))[0], share + remainder);
  assert.strictEqual((await call('pendingFees', [clusterId, n2]))[0], share);
  assert.strictEqual((await call('pendingFees', [clusterId, n3]))[0], share);
  figures.withdraw_fees_gas = gas(await send(n2, 'withdrawFees', [clusterId]));
  await expectRevert('NothingToWithdraw', n2, 'withdrawFees', [clusterId]);

  // A second job: the members' fee slots are non-zero from the start (index), so the cost is the same.
  const job2Deadline = BigInt((await now()) + 60);
  const job2 = BigInt((await send(client, 'createJob', [contractId, job2Deadline, 60n], fee)).logs[0].topics[1]);
  await warp(61);
  const sigs2 = [];
  for (const s of [n1, n2, n3]) sigs2.push(await signResult(s, job2, outputsHash, outputCommitment));
  figures.post_result_3_signers_1_output_second_job_gas = gas(
    await send(outsider, 'postResult', [job2, outputs, outputCommitment, sigs2]),
  );
  const sigs2Two = [sigs2[0], sigs2[2]];
  const job3Deadline = BigInt((await now()) + 60);
  const job3 = BigInt((await send(client, 'createJob', [contractId, job3Deadline, 60n], fee)).logs[0].topics[1]);
  await warp(61);
  const sigs3 = [];
  for (const s of [n1, n3]) sigs3.push(await signResult(s, job3, outputsHash, outputCommitment));
  assert.ok(sigs2Two.length === 2);
  figures.post_result_2_signers_1_output_gas = gas(
    await send(outsider, 'postResult', [job3, outputs, outputCommitment, sigs3]),
  );

  // Refund: a job with no result gets its fee back after the result deadline.
  const job4Deadline = BigInt((await now()) + 60);
  const job4 = BigInt((await send(client, 'createJob', [contractId, job4Deadline, 60n], fee)).logs[0].topics[1]);
  await expectRevert('RefundNotYetAvailable', outsider, 'refund', [job4]);
  await warp(121);
  const late = [];
  for (const s of [n1, n2]) late.push(await signResult(s, job4, outputsHash, outputCommitment));
  await expectRevert('ResultWindowClosed', outsider, 'postResult', [job4, outputs, outputCommitment, late]);
  const before = await balance(client);
  figures.refund_gas = gas(await send(outsider, 'refund', [job4]));
  assert.strictEqual((await balance(client)) - before, fee);

  // Slashing: n2 signs a second, different result for jobId.
  const otherCommitment = keccak(Buffer.from('another commitment'));
  const conflicting = await signResult(n2, jobId, outputsHash, otherCommitment);
  const slashArgs = [jobId, n2, outputsHash, outputCommitment, sigs[2], outputsHash, otherCommitment, conflicting];
  await expectRevert('ResultsDoNotConflict', outsider, 'slash',
    [jobId, n2, outputsHash, outputCommitment, sigs[2], outputsHash, outputCommitment, sigs[2]]);
  await expectRevert('WrongSigner', outsider, 'slash',
    [jobId, n1, outputsHash, outputCommitment, sigs[2], outputsHash, otherCommitment, conflicting]);
  const reporterBefore = await balance(outsider);
  const slashReceipt = await send(outsider, 'slash', slashArgs);
  figures.slash_gas = gas(slashReceipt);
  const paidGas = BigInt(slashReceipt.gasUsed) * BigInt(slashReceipt.effectiveGasPrice);
  assert.strictEqual((await balance(outsider)) - reporterBefore + paidGas, minStake / 2n);
  const slashed = await call('getNode', [n2]);
  assert.strictEqual(slashed[2], 0n);
  assert.strictEqual(slashed[4], 4n);
  await expectRevert('NothingToSlash', outsider, 'slash', slashArgs);

  // Exit: deregister, wait the delay, withdraw the stake.
  await send(n4, 'requestDeregister', []);
  await expectRevert('StakeLocked', n4, 'withdrawStake', []);
  await warp(Number(exitDelay));
  figures.withdraw_stake_gas = gas(await send(n4, 'withdrawStake', []));
  assert.strictEqual((await call('getNode', [n4]))[4], 3n);

  process.stdout.write(JSON.stringify(figures) + '\n');
}

main().catch((e) => {
  process.stderr.write(`devchain-check: ${e.stack || e}\n`);
  process.exit(1);
});
