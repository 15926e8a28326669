using System.Net;
using SipTrunk.Testing.Media;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Media;

/// <summary>What one baresip leg of a finished test call saw and sent (see <see cref="MediaHarnessTests"/>).</summary>
/// <param name="Name">"caller" or "carrier", for messages.</param>
/// <param name="Audio">Its audio stream counters, read during the call.</param>
/// <param name="SentSdp">The last SDP it sent (its offer, or its answer).</param>
/// <param name="ReceivedSdp">The last SDP it received.</param>
/// <param name="Events">Its ctrl_tcp events and responses.</param>
internal sealed record CallMedia(string Name, BaresipAudioStats Audio, SdpSummary SentSdp, SdpSummary ReceivedSdp, IReadOnlyList<string> Events)
{
    /// <summary>Where it sends RTP from (baresip binds 0.0.0.0 and sends from its advertised port on 127.0.0.1).</summary>
    public IPEndPoint Local => new(IPAddress.Loopback, SentSdp.AudioPort ?? 0);

    /// <summary>Where it was told to send RTP.</summary>
    public IPEndPoint Remote => ReceivedSdp.AudioEndPoint ?? new IPEndPoint(IPAddress.None, 0);

    public static CallMedia Read(string name, BaresipProcess baresip, BaresipAudioStats audio)
    {
        var sent = baresip.SentSdp;
        var received = baresip.ReceivedSdp;
        Assert.True(sent.Count > 0 && received.Count > 0, $"{name} traced no SDP both ways\n{baresip.Describe()}");
        return new CallMedia(name, audio, SdpSummary.Parse(sent[^1]), SdpSummary.Parse(received[^1]), baresip.ControlMessages);
    }
}
