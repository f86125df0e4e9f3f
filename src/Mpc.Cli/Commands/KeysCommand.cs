using System.CommandLine;
using Mpc.Client;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc keys new [--out DIR] [--name NAME]</c>: a fresh P-256 key and self-signed certificate for a node or client.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory for NAME.crt and NAME.key.", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var name = new Option<string>("--name") { Description = "File name stem and certificate CN (e.g. node0, client).", DefaultValueFactory = _ => "node" };
        var create = new Command("new", "Generate a key and a self-signed certificate; prints the SHA-256 fingerprint others pin.") { output, name };
        create.SetAction(parse => CliErrors.Run(() =>
        {
            string stem = parse.GetValue(name)!;
            if (!Mpc.Core.Circuits.Circuit.IsIdentifier(stem))
                throw new CliException($"--name '{stem}': use letters, digits and '_' only.");
            string directory = parse.GetValue(output)!.FullName;
            string certificate = Path.Combine(directory, stem + ".crt"), key = Path.Combine(directory, stem + ".key");
            if (File.Exists(certificate) || File.Exists(key))
                throw new CliException($"{certificate} or {key} already exists; refusing to overwrite a key.");
            using var identity = TlsIdentity.Create(stem);
            identity.Save(certificate, key);
            Console.WriteLine($"certificate  {certificate}");
            Console.WriteLine($"key          {key}   (owner-only; never share it)");
            Console.WriteLine($"fingerprint  {identity.Fingerprint}");
            return 0;
        }));
        return new Command("keys", "Manage TLS identities of nodes and clients.") { create };
    }
}
