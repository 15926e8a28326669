using System.Globalization;
using System.Text;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// The <c>config</c> file every test baresip runs with, whatever its account: headless audio (a 440 Hz tone in,
/// nothing out), G.711 and SDES-SRTP, ctrl_tcp control. See <see cref="BaresipProcess"/> for why each line is there.
/// </summary>
internal static class BaresipConfiguration
{
    /// <param name="sipListenPort">The <c>sip_listen</c> port: UDP and TCP on it, TLS on the next one (0: all picked by baresip).</param>
    /// <param name="certificatePath">One PEM file with the certificate and its key (client and server certificate).</param>
    /// <param name="caPath">The CA certificate (<c>sip_cafile</c>).</param>
    /// <param name="controlPort">The ctrl_tcp port.</param>
    public static string Create(int sipListenPort, string certificatePath, string caPath, int controlPort)
    {
        var config = new StringBuilder();
        void Line(string text) => config.Append(text).Append('\n');

        Line("poll_method epoll");
        Line(string.Create(CultureInfo.InvariantCulture, $"sip_listen 127.0.0.1:{sipListenPort}"));
        Line($"sip_certificate {certificatePath}");
        Line($"sip_cafile {caPath}");
        Line("net_interface 127.0.0.1");
        Line("call_local_timeout 120");
        Line("call_max_calls 4");
        Line("audio_source ausine,440");
        Line("ausrc_srate 48000");
        Line("ausrc_channels 2");
        Line("audio_player aufile,/dev/null");
        Line("audio_alert aufile,/dev/null");
        Line("rtp_stats no");
        Line("module_path /usr/lib/baresip/modules");
        Line("module g711.so");
        Line("module ausine.so");
        Line("module aufile.so");
        Line("module srtp.so");
        Line("module_tmp uuid.so");
        Line("module_tmp account.so");
        Line("module_app menu.so");
        Line("module_app ctrl_tcp.so");
        Line(string.Create(CultureInfo.InvariantCulture, $"ctrl_tcp_listen 127.0.0.1:{controlPort}"));
        Line("statmode_default off");
        return config.ToString();
    }
}
