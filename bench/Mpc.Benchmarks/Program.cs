using BenchmarkDotNet.Running;

// One BenchmarkDotNet project; pick benchmarks with --filter, e.g. `--filter *Fp61*`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
