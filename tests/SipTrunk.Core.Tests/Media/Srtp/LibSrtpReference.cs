using System.ComponentModel;
using System.Text;
using SipTrunk.Core.Media.Srtp;
using SipTrunk.Testing;

namespace SipTrunk.Core.Tests.Media.Srtp;

/// <summary>
/// libsrtp 2 as an independent reference: a small C driver, compiled once per test class with gcc against the system's
/// libsrtp2 (Debian: <c>apt-get install gcc libsrtp2-dev</c>), that reads a suite, master key and salt, then one
/// command per line (<c>p</c>/<c>u</c> protect/unprotect RTP, <c>pc</c>/<c>uc</c> RTCP, packet in hex) and answers
/// <c>ok &lt;hex&gt;</c> or <c>err &lt;status&gt;</c>. Sender and receiver are separate libsrtp sessions, like two peers.
/// </summary>
public sealed class LibSrtpReference : IAsyncLifetime, IDisposable
{
    private const string Source = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <srtp2/srtp.h>

        static int unhex(const char *s, unsigned char *out, int max)
        {
            int n = 0;
            while (s[0] && s[1] && s[0] != '\n' && n < max) {
                unsigned int b;
                if (sscanf(s, "%2x", &b) != 1) return -1;
                out[n++] = (unsigned char)b;
                s += 2;
            }
            return n;
        }

        int main(void)
        {
            static char line[140000];
            static unsigned char buf[70000];
            unsigned char key[64];
            char suite[64], keyhex[200], salthex[200];
            if (srtp_init() != srtp_err_status_ok) return 2;
            if (!fgets(line, sizeof line, stdin) || sscanf(line, "%63s %199s %199s", suite, keyhex, salthex) != 3) return 3;
            int keylen = unhex(keyhex, key, 32);
            int saltlen = unhex(salthex, key + keylen, 14);
            if (keylen <= 0 || saltlen <= 0) return 4;

            srtp_policy_t policy;
            memset(&policy, 0, sizeof policy);
            if (strcmp(suite, "AES_CM_128_HMAC_SHA1_80") == 0) {
                srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
                srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
            } else if (strcmp(suite, "AES_CM_128_HMAC_SHA1_32") == 0) {
                srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
                srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
            } else if (strcmp(suite, "AEAD_AES_128_GCM") == 0) {
                srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
                srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
            } else if (strcmp(suite, "AEAD_AES_256_GCM") == 0) {
                srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp);
                srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp);
            } else {
                return 5;
            }

            policy.key = key;
            policy.window_size = 128;
            policy.allow_repeat_tx = 1;
            srtp_t sender, receiver;
            policy.ssrc.type = ssrc_any_outbound;
            if (srtp_create(&sender, &policy) != srtp_err_status_ok) return 6;
            policy.ssrc.type = ssrc_any_inbound;
            if (srtp_create(&receiver, &policy) != srtp_err_status_ok) return 7;

            while (fgets(line, sizeof line, stdin)) {
                char op[8];
                if (sscanf(line, "%7s", op) != 1) continue;
                int len = unhex(line + strlen(op) + 1, buf, 60000);
                if (len < 0) return 8;
                srtp_err_status_t status;
                if (strcmp(op, "p") == 0) status = srtp_protect(sender, buf, &len);
                else if (strcmp(op, "u") == 0) status = srtp_unprotect(receiver, buf, &len);
                else if (strcmp(op, "pc") == 0) status = srtp_protect_rtcp(sender, buf, &len);
                else if (strcmp(op, "uc") == 0) status = srtp_unprotect_rtcp(receiver, buf, &len);
                else return 9;
                if (status != srtp_err_status_ok) {
                    printf("err %d\n", (int)status);
                } else {
                    printf("ok ");
                    for (int i = 0; i < len; i++) printf("%02x", buf[i]);
                    printf("\n");
                }
            }

            srtp_dealloc(sender);
            srtp_dealloc(receiver);
            srtp_shutdown();
            return 0;
        }
        """;

    private readonly TempDirectory _directory = new();

    private string Program => _directory.Combine("srtp-reference");

    public async Task InitializeAsync()
    {
        var source = _directory.Combine("srtp-reference.c");
        await File.WriteAllTextAsync(source, Source);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("gcc", ["-O1", "-o", Program, source, "-lsrtp2"], timeout: TimeSpan.FromMinutes(2));
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("The libsrtp cross-check needs gcc and libsrtp2-dev (apt-get install gcc libsrtp2-dev).", e);
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Compiling the libsrtp driver failed (is libsrtp2-dev installed?): {result.StandardError}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();

    /// <summary>Runs the commands through one fresh sender/receiver pair; for each, the output packet or null (libsrtp refused it).</summary>
    public async Task<byte[]?[]> RunAsync(SrtpSuite suite, byte[] masterKey, byte[] masterSalt, IReadOnlyList<(string Op, byte[] Packet)> commands)
    {
        var input = new StringBuilder()
            .Append(suite.Name).Append(' ').Append(Convert.ToHexString(masterKey)).Append(' ').Append(Convert.ToHexString(masterSalt)).Append('\n');
        foreach (var (op, packet) in commands)
        {
            input.Append(op).Append(' ').Append(Convert.ToHexString(packet)).Append('\n');
        }

        var result = await ProcessRunner.RunAsync(Program, [], input.ToString(), timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"libsrtp driver exited with {result.ExitCode}: {result.StandardError}");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(commands.Count, lines.Length);
        return [.. lines.Select(line => line.StartsWith("ok ", StringComparison.Ordinal) ? Convert.FromHexString(line[3..]) : null)];
    }
}
