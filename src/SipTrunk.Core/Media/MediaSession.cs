using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Media.Srtp;
using SipTrunk.Sip.Sdp;

namespace SipTrunk.Core.Media;

/// <summary>
/// One call's media anchoring (RFC 3264 offer/answer through a relay). Every SDP body of the call passes through
/// <see cref="Offer"/> or <see cref="Answer"/>: addresses are replaced by SipTrunk's relay ports on
/// <see cref="MediaSettings.AdvertisedAddress"/>, ICE candidates are dropped (SipTrunk is the anchor), codecs and other
/// attributes are kept, and SDES keys (RFC 4568) are re-generated per leg (rekey) or forwarded (passthrough). Thread-safe.
/// </summary>
public sealed partial class MediaSession : IDisposable
{
    // SipTrunk's own offer when the offerer sent plain RTP: the suites every SDES implementation has first.
    private static readonly SrtpSuite[] OfferedSuites = [SrtpSuite.AesCm128HmacSha1_80, SrtpSuite.AeadAes128Gcm, SrtpSuite.AeadAes256Gcm, SrtpSuite.AesCm128HmacSha1_32];

    private readonly object _gate = new();
    private readonly MediaService _service;
    private MediaLegPolicy _callerPolicy;
    private MediaLegPolicy _calleePolicy;
    private readonly List<MediaStreamState> _streams = [];
    private readonly List<SrtpContext> _contexts = [];
    private MediaSide? _pendingOfferFrom;
    private long _answeredTimestamp;
    private bool _disposed;

    internal MediaSession(MediaService service, string callId, MediaLegPolicy caller, MediaLegPolicy callee)
    {
        _service = service;
        CallId = callId;
        _callerPolicy = caller;
        _calleePolicy = callee;
    }

    /// <summary>The call's Call-ID.</summary>
    public string CallId { get; }

    /// <summary>Which side is the trunk peer (for in-dialog requests, which the proxy knows by sender).</summary>
    public MediaSide? PeerSide => Volatile.Read(ref _callerPolicy).IsPeer ? MediaSide.Caller : Volatile.Read(ref _calleePolicy).IsPeer ? MediaSide.Callee : null;

    /// <summary>The policy of a side changes (the carrier that answered, after failover).</summary>
    public void UpdatePolicy(MediaSide side, MediaLegPolicy policy)
    {
        lock (_gate)
        {
            if (side == MediaSide.Caller)
            {
                _callerPolicy = policy;
            }
            else
            {
                _calleePolicy = policy;
            }
        }
    }

    /// <summary>Whether an offer from <paramref name="side"/> waits for its answer.</summary>
    public bool HasPendingOfferFrom(MediaSide side)
    {
        lock (_gate)
        {
            return _pendingOfferFrom == side;
        }
    }

    /// <summary>Called when the inactivity timeout passes on an answered call; set by the proxy when the call is answered.</summary>
    internal Action<MediaSession>? Inactive { get; private set; }

    /// <summary>
    /// The call is answered: from now on <paramref name="onInactive"/> runs (once) when no media packet crossed the relay
    /// for <see cref="MediaSettings.InactivityTimeout"/>.
    /// </summary>
    public void MarkAnswered(Action<MediaSession> onInactive)
    {
        lock (_gate)
        {
            _answeredTimestamp = _service.Relay.Time.GetTimestamp();
            Inactive = onInactive;
        }
    }

    internal void ClearInactive()
    {
        lock (_gate)
        {
            Inactive = null;
        }
    }

    /// <summary>
    /// An offer from <paramref name="from"/>, to be forwarded to the other side under its <paramref name="target"/> policy
    /// (a carrier's policy may differ per failover attempt). Returns the body for the other side, or 488/503.
    /// </summary>
    public SdpOutcome Offer(MediaSide from, ReadOnlySpan<byte> body, MediaLegPolicy? target = null)
    {
        if (!SessionDescription.TryParse(body, out var sdp, out var error))
        {
            LogBadSdp(_service.Logger, CallId, error);
            return SdpOutcome.Refused(488, "Malformed SDP");
        }

        var to = Other(from);
        lock (_gate)
        {
            var fromPolicy = PolicyOf(from);
            var toPolicy = target ?? PolicyOf(to);
            if (_disposed)
            {
                return SdpOutcome.Refused(488, "Call ended");
            }

            if (sdp.Media.Count < _streams.Count)
            {
                // RFC 3264 §8: a re-offer never removes media lines.
                return SdpOutcome.Refused(488, "Media lines removed");
            }

            if (sdp.HasInvalidCrypto)
            {
                // RFC 4568 §7.1.2: a relay must not guess at a malformed key.
                return SdpOutcome.Refused(488, "Malformed a=crypto");
            }

            for (var i = 0; i < sdp.Media.Count; i++)
            {
                if (i == _streams.Count)
                {
                    _streams.Add(new MediaStreamState());
                }

                var refusal = OfferStreamLocked(sdp, sdp.Media[i], _streams[i], from, fromPolicy, toPolicy);
                if (refusal is { } refused)
                {
                    return refused;
                }
            }

            AnchorSession(sdp);
            _pendingOfferFrom = from;
            return SdpOutcome.Accepted(sdp.ToArray());
        }
    }

    /// <summary>The answer from <paramref name="from"/> to the other side's pending offer; returns the body for the offerer.</summary>
    public SdpOutcome Answer(MediaSide from, ReadOnlySpan<byte> body)
    {
        if (!SessionDescription.TryParse(body, out var sdp, out var error))
        {
            LogBadSdp(_service.Logger, CallId, error);
            return SdpOutcome.Refused(488, "Malformed SDP");
        }

        var to = Other(from);
        lock (_gate)
        {
            if (_disposed)
            {
                return SdpOutcome.Refused(488, "Call ended");
            }

            if (sdp.HasInvalidCrypto)
            {
                return SdpOutcome.Refused(488, "Malformed a=crypto");
            }

            // Answers repeat (18x then 2xx); only the offer's lines can be answered, extra ones are declined.
            for (var i = 0; i < sdp.Media.Count; i++)
            {
                if (i >= _streams.Count)
                {
                    sdp.Media[i].Port = 0;
                    continue;
                }

                AnswerStreamLocked(sdp, sdp.Media[i], _streams[i], from, to);
            }

            AnchorSession(sdp);
            return SdpOutcome.Accepted(sdp.ToArray());
        }
    }

    /// <summary>
    /// An SDP body whose role follows from the negotiation state (PRACK, or a body SipTrunk cannot place otherwise):
    /// an answer when the other side has an offer pending, else an offer.
    /// </summary>
    public SdpOutcome OfferOrAnswer(MediaSide from, ReadOnlySpan<byte> body) =>
        HasPendingOfferFrom(Other(from)) ? Answer(from, body) : Offer(from, body);

    /// <summary>The pending offer was refused (non-2xx to a re-INVITE or UPDATE): the previous session stays in force.</summary>
    public void OfferRejected()
    {
        lock (_gate)
        {
            _pendingOfferFrom = null;
        }
    }

    /// <summary>The call's media so far, for its record; null when no stream was ever relayed.</summary>
    public MediaCallStats? GetStats()
    {
        lock (_gate)
        {
            long aToBPackets = 0, bToAPackets = 0, aToBBytes = 0, bToABytes = 0, aToBLost = 0, bToALost = 0, authFailures = 0;
            double aToBJitter = 0, bToAJitter = 0;
            var relayed = false;
            foreach (var stream in _streams)
            {
                if (stream.Relay is not { } relay)
                {
                    continue;
                }

                relayed = true;
                var aToB = relay.GetStats(RelayDirection.AToB);
                var bToA = relay.GetStats(RelayDirection.BToA);
                aToBPackets += aToB.Packets;
                bToAPackets += bToA.Packets;
                aToBBytes += aToB.Bytes;
                bToABytes += bToA.Bytes;
                aToBLost += aToB.Lost;
                bToALost += bToA.Lost;
                authFailures += aToB.AuthenticationFailures + bToA.AuthenticationFailures;
                aToBJitter = Math.Max(aToBJitter, aToB.JitterMs);
                bToAJitter = Math.Max(bToAJitter, bToA.JitterMs);
            }

            if (!relayed)
            {
                return null;
            }

            var peerSide = PeerSide ?? MediaSide.Caller;
            var first = _streams.FirstOrDefault(s => s is { Relay: not null, Declined: false }) ?? _streams.First(s => s.Relay is not null);
            var peerSuite = first.Leg(peerSide).PartyKey?.Suite;
            var carrierSuite = first.Leg(Other(peerSide)).PartyKey?.Suite;
            var mode = first.Passthrough ? "passthrough"
                : peerSuite is not null && carrierSuite is not null ? "rekey"
                : peerSuite is not null || carrierSuite is not null ? "bridge"
                : "rtp";
            var peerIsCaller = peerSide == MediaSide.Caller;
            return new MediaCallStats
            {
                Mode = mode,
                SrtpSuite = peerSuite ?? carrierSuite,
                PeerSrtpSuite = peerSuite,
                CarrierSrtpSuite = carrierSuite,
                PacketsOut = peerIsCaller ? aToBPackets : bToAPackets,
                PacketsIn = peerIsCaller ? bToAPackets : aToBPackets,
                BytesOut = peerIsCaller ? aToBBytes : bToABytes,
                BytesIn = peerIsCaller ? bToABytes : aToBBytes,
                PacketsLost = aToBLost + bToALost,
                PacketsLostOut = peerIsCaller ? aToBLost : bToALost,
                PacketsLostIn = peerIsCaller ? bToALost : aToBLost,
                JitterMs = Math.Round(Math.Max(aToBJitter, bToAJitter), 3),
                JitterOutMs = Math.Round(peerIsCaller ? aToBJitter : bToAJitter, 3),
                JitterInMs = Math.Round(peerIsCaller ? bToAJitter : aToBJitter, 3),
                AuthenticationFailures = authFailures,
            };
        }
    }

    /// <summary>Releases the relay ports and key material (idempotent).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Inactive = null;
            foreach (var stream in _streams)
            {
                stream.Relay?.Dispose();
            }

            foreach (var context in _contexts)
            {
                context.Dispose();
            }

            _contexts.Clear();
        }

        _service.Remove(this);
    }

    /// <summary>Whether an answered call has gone without media for the timeout (called by the service's timer).</summary>
    internal bool IsInactiveAt(long now, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_disposed || Inactive is null)
            {
                return false;
            }

            var last = _answeredTimestamp;
            var expectsMedia = false;
            foreach (var stream in _streams)
            {
                if (stream.Relay is { } relay && !stream.Declined)
                {
                    expectsMedia |= !stream.Inactive;
                    last = Math.Max(last, relay.LastPacketTimestamp);
                }
            }

            return expectsMedia && _service.Relay.Time.GetElapsedTime(last, now) >= timeout;
        }
    }

    private static MediaSide Other(MediaSide side) => side == MediaSide.Caller ? MediaSide.Callee : MediaSide.Caller;

    private static RelayLeg LegOf(RelayStream relay, MediaSide side) => side == MediaSide.Caller ? relay.A : relay.B;

    private MediaLegPolicy PolicyOf(MediaSide side) => side == MediaSide.Caller ? _callerPolicy : _calleePolicy;

    private SdpOutcome? OfferStreamLocked(SessionDescription sdp, MediaDescription media, MediaStreamState stream, MediaSide from, MediaLegPolicy fromPolicy, MediaLegPolicy toPolicy)
    {
        var party = stream.Leg(from);
        var other = stream.Leg(Other(from));
        if (media.IsDeclined || !IsRelayable(media))
        {
            // Declined by the offerer, or a transport SipTrunk does not relay (TCP media): the other side sees port 0.
            DeclineLocked(stream, media);
            return null;
        }

        var offered = media.Crypto.Where(IsUsable).ToList();
        var dtls = media.IsDtlsSrtp;
        if (!dtls && media.IsSecureRtp && offered.Count == 0)
        {
            return SdpOutcome.Refused(488, "No supported SRTP crypto suite");
        }

        if (!dtls && offered.Count == 0 && RefusesPlain(fromPolicy, toPolicy))
        {
            return SdpOutcome.Refused(488, "SRTP required");
        }

        if (stream.Relay is null)
        {
            try
            {
                stream.Relay = _service.Relay.CreateStream();
            }
            catch (MediaPortsExhaustedException)
            {
                LogPortsExhausted(_service.Logger, CallId);
                return SdpOutcome.Refused(503, "Media ports exhausted");
            }
        }

        stream.Declined = false;
        stream.Inactive = sdp.GetEffectiveDirection(media) == SdpDirection.Inactive;
        ReadAddresses(sdp, media, party);
        party.Protocol = media.Protocol;
        party.OfferedByParty = offered;
        party.Active = true;
        // Until the first answer neither the answerer's key nor, for a bridged leg, its plain-RTP status is known: a
        // packet relayed now could only be wrongly keyed, or plain RTP reaching an SRTP leg. A re-offer keeps the
        // session in force until its answer (RFC 3264 §8).
        other.Active = stream.Negotiated && !stream.Declined;

        if (dtls)
        {
            // DTLS-SRTP keys are negotiated end to end in the media path: SipTrunk can only relay the bytes.
            other.OfferedToParty = [];
            other.OfferedVerbatim = false;
        }
        else
        {
            var toward = toPolicy.Srtp;
            if (toward == LegSrtpPolicy.None)
            {
                media.Protocol = AsPlain(media.Protocol);
                media.SetCrypto([]);
                other.OfferedToParty = [];
                other.OfferedVerbatim = false;
            }
            else
            {
                media.Protocol = toward == LegSrtpPolicy.Require ? AsSecure(media.Protocol) : media.Protocol;
                var verbatim = _service.Settings.Mode == SrtpRelayMode.Passthrough && offered.Count > 0;
                var keys = verbatim ? offered : RekeyedOffer(other, offered);
                other.OfferedToParty = keys;
                other.OfferedVerbatim = verbatim;
                media.SetCrypto(keys);
            }
        }

        AnchorMedia(media, LegOf(stream.Relay, Other(from)));
        // Early media toward the offerer can flow as soon as the answer arrives; its address is known now.
        ConfigureLocked(stream);
        return null;
    }

    private void AnswerStreamLocked(SessionDescription sdp, MediaDescription media, MediaStreamState stream, MediaSide from, MediaSide to)
    {
        var party = stream.Leg(from);
        var offerer = stream.Leg(to);
        if (stream.Relay is not { } relay || stream.Declined || media.IsDeclined)
        {
            DeclineLocked(stream, media);
            return;
        }

        ReadAddresses(sdp, media, party);
        party.Active = true;
        offerer.Active = true;
        stream.Negotiated = true;
        stream.Inactive = sdp.GetEffectiveDirection(media) == SdpDirection.Inactive;
        var answered = media.Crypto.FirstOrDefault(IsUsable);
        media.Protocol = offerer.Protocol;
        if (media.IsDtlsSrtp || offerer.Protocol.Contains("/TLS/", StringComparison.OrdinalIgnoreCase))
        {
            stream.Passthrough = true;
            party.PartyKey = party.SipTrunkKey = offerer.PartyKey = offerer.SipTrunkKey = null;
        }
        else
        {
            // The answerer sends with its own key; SipTrunk sends to it with the offered key of the tag it accepted.
            party.PartyKey = answered;
            party.SipTrunkKey = answered is null ? null : party.OfferedToParty.FirstOrDefault(k => k.Tag == answered.Tag && k.Suite == answered.Suite);
            if (answered is not null && party.SipTrunkKey is null)
            {
                // Its packets could be neither checked nor decrypted: the stream is not relayed rather than relayed blind.
                LogUnofferedKey(_service.Logger, CallId, answered.Tag, answered.Suite);
                party.PartyKey = null;
                party.Active = false;
                answered = null;
            }

            var offeredByOfferer = offerer.OfferedByParty;
            if (offeredByOfferer.Count == 0)
            {
                offerer.PartyKey = offerer.SipTrunkKey = null;
                media.SetCrypto([]);
                stream.Passthrough = false;
            }
            else if (party.OfferedVerbatim && answered is not null && offeredByOfferer.FirstOrDefault(k => k.Tag == answered.Tag) is { } same)
            {
                // Passthrough: both ends hold each other's keys; SipTrunk relays bytes it cannot read.
                offerer.PartyKey = same;
                offerer.SipTrunkKey = answered;
                media.SetCrypto([answered]);
                stream.Passthrough = true;
            }
            else
            {
                var chosen = offeredByOfferer.FirstOrDefault(k => k.Suite == answered?.Suite) ?? offeredByOfferer[0];
                offerer.PartyKey = chosen;
                offerer.SipTrunkKey = ReuseOrGenerate(offerer.SipTrunkKey, chosen.Tag, chosen.Suite);
                media.SetCrypto([offerer.SipTrunkKey]);
                stream.Passthrough = false;
            }
        }

        // The offerer asked for rtcp-mux: SipTrunk's leg toward it supports it whatever the answerer said (RFC 5761 §5.1.1).
        media.RtcpMux = offerer.RtcpMux;
        AnchorMedia(media, LegOf(relay, to));
        ConfigureLocked(stream);
        _pendingOfferFrom = null;
    }

    private void DeclineLocked(MediaStreamState stream, MediaDescription media)
    {
        media.Port = 0;
        media.RemoveIceAttributes();
        media.Connection = null;
        media.Rtcp = null;
        stream.Declined = true;
        stream.Caller.Active = stream.Callee.Active = false;
        if (stream.Relay is not null)
        {
            ConfigureLocked(stream);
        }
    }

    // The SDP's addresses become SipTrunk's: the session-level c= and o= (topology hiding).
    private void AnchorSession(SessionDescription sdp)
    {
        var connection = SdpConnection.FromIPAddress(_service.Settings.AdvertisedAddress);
        if (sdp.Connection is not null || sdp.Media.Any(m => m.Connection is null))
        {
            sdp.Connection = connection;
        }

        sdp.Origin = sdp.Origin.WithAddress(connection.AddressType, connection.Address);
        sdp.RemoveAllIceAttributes();
    }

    private void AnchorMedia(MediaDescription media, RelayLeg leg)
    {
        var connection = SdpConnection.FromIPAddress(_service.Settings.AdvertisedAddress);
        media.Port = leg.RtpPort;
        if (media.Connection is not null)
        {
            media.Connection = connection;
        }

        if (media.Rtcp is not null || media.GetAttribute("rtcp") is not null)
        {
            media.Rtcp = new SdpRtcp(leg.RtcpPort, connection);
        }

        media.RemoveIceAttributes();
    }

    private void ConfigureLocked(MediaStreamState stream)
    {
        if (stream.Relay is not { } relay)
        {
            return;
        }

        relay.A.Configure(LegMedia(stream, stream.Caller));
        relay.B.Configure(LegMedia(stream, stream.Callee));
    }

    private RelayLegMedia LegMedia(MediaStreamState stream, MediaLeg leg)
    {
        SrtpContext? decrypt = null, encrypt = null;
        if (!stream.Passthrough)
        {
            leg.Decrypt = ContextFor(leg.Decrypt, leg.PartyKey);
            leg.Encrypt = ContextFor(leg.Encrypt, leg.SipTrunkKey);
            decrypt = leg.Decrypt?.Context;
            encrypt = leg.Encrypt?.Context;
        }

        return new RelayLegMedia
        {
            RtpTarget = leg.Rtp,
            RtcpTarget = leg.Rtcp,
            RtcpMux = leg.RtcpMux,
            Decrypt = decrypt,
            Encrypt = encrypt,
            ClockRate = leg.ClockRate,
            Active = leg.Active && !stream.Declined,
        };
    }

    // A context keeps its rollover and replay state, so an unchanged key keeps its context across re-offers.
    private (SdpCrypto Key, SrtpContext Context)? ContextFor((SdpCrypto Key, SrtpContext Context)? current, SdpCrypto? key)
    {
        if (key is null)
        {
            return null;
        }

        if (current is { } existing && SameKey(existing.Key, key))
        {
            return existing;
        }

        SrtpSuite.TryGet(key.Suite, out var suite);
        var material = key.Keys[0].KeyAndSalt.Span;
        var context = SrtpContext.Create(suite!, material[..suite!.KeyLength], material[suite.KeyLength..]);
        _contexts.Add(context);
        return (key, context);
    }

    private static bool SameKey(SdpCrypto a, SdpCrypto b) =>
        string.Equals(a.Suite, b.Suite, StringComparison.Ordinal) && a.Keys[0].KeyAndSalt.Span.SequenceEqual(b.Keys[0].KeyAndSalt.Span);

    // Fresh keys for the offer to the other party: the offerer's suites and tags (its preference), or SipTrunk's list.
    // A suite SipTrunk already gave this party keeps its key, so a re-offer or a failover never restarts its SRTP state.
    private static List<SdpCrypto> RekeyedOffer(MediaLeg toward, List<SdpCrypto> offered)
    {
        var keys = new List<SdpCrypto>();
        if (offered.Count > 0)
        {
            foreach (var crypto in offered)
            {
                keys.Add(ReuseOrGenerate(PreviousKey(toward, crypto.Suite), crypto.Tag, crypto.Suite));
            }
        }
        else
        {
            for (var i = 0; i < OfferedSuites.Length; i++)
            {
                keys.Add(ReuseOrGenerate(PreviousKey(toward, OfferedSuites[i].Name), i + 1, OfferedSuites[i].Name));
            }
        }

        return keys;
    }

    private static SdpCrypto? PreviousKey(MediaLeg leg, string suite) =>
        leg.SipTrunkKey is { } current && current.Suite == suite ? current
        : leg.OfferedVerbatim ? null
        : leg.OfferedToParty.FirstOrDefault(k => k.Suite == suite);

    private static SdpCrypto ReuseOrGenerate(SdpCrypto? previous, int tag, string suite)
    {
        if (previous is not null && previous.Suite == suite)
        {
            return previous.Tag == tag ? previous : SdpCrypto.Create(tag, suite, previous.Keys[0].KeyAndSalt.Span);
        }

        return SdpCrypto.Generate(tag, suite);
    }

    // A key the relay can use: a suite SipTrunk implements, one key without MKI, and no session parameters that would
    // change packet processing (UNENCRYPTED_SRTP, KDR, ...; RFC 4568 §6.3).
    private static bool IsUsable(SdpCrypto crypto) =>
        SrtpSuite.TryGet(crypto.Suite, out _) && crypto.Keys.Count == 1 && crypto.Keys[0].Mki is null && crypto.SessionParameters.Count == 0;

    // Plain RTP from a party is refused when that party requires SRTP itself, or when a peer calls a carrier that
    // requires it (CONTRACT.md §3). A plain carrier's offer to a peer is bridged: that is what Srtp: none is for.
    private static bool RefusesPlain(MediaLegPolicy from, MediaLegPolicy to) =>
        from.Srtp == LegSrtpPolicy.Require || (from.IsPeer && !to.IsPeer && to.Srtp == LegSrtpPolicy.Require);

    private static bool IsRelayable(MediaDescription media) =>
        media.Protocol.StartsWith("RTP/", StringComparison.OrdinalIgnoreCase)
        || media.Protocol.StartsWith("UDP/TLS/RTP/", StringComparison.OrdinalIgnoreCase)
        || string.Equals(media.Protocol, "udptl", StringComparison.OrdinalIgnoreCase)
        || string.Equals(media.Protocol, "UDP", StringComparison.OrdinalIgnoreCase);

    private static string AsSecure(string protocol) => protocol.ToUpperInvariant() switch
    {
        "RTP/AVP" => "RTP/SAVP",
        "RTP/AVPF" => "RTP/SAVPF",
        _ => protocol,
    };

    private static string AsPlain(string protocol) => protocol.ToUpperInvariant() switch
    {
        "RTP/SAVP" => "RTP/AVP",
        "RTP/SAVPF" => "RTP/AVPF",
        _ => protocol,
    };

    private static void ReadAddresses(SessionDescription sdp, MediaDescription media, MediaLeg leg)
    {
        var connection = media.Connection ?? sdp.Connection;
        IPAddress? address = null;
        if (connection is not null && connection.TryGetIPAddress(out var parsed) && !parsed.Equals(IPAddress.Any) && !parsed.Equals(IPAddress.IPv6Any))
        {
            address = parsed;
        }

        // c=0.0.0.0 (RFC 3264 §8.4 old-style hold) or no address: wait for latching instead of sending anywhere.
        leg.Rtp = address is null ? null : new IPEndPoint(address, media.Port);
        var rtcp = media.Rtcp;
        var rtcpAddress = rtcp?.Connection is { } rtcpConnection && rtcpConnection.TryGetIPAddress(out var ra) ? ra : address;
        leg.Rtcp = rtcpAddress is null ? null : new IPEndPoint(rtcpAddress, rtcp?.Port ?? Math.Min(media.Port + 1, IPEndPoint.MaxPort));
        leg.RtcpMux = media.RtcpMux;
        leg.ClockRate = ClockRateOf(media);
    }

    // RFC 3551 §6: the static payload types' clock rates; dynamic ones from a=rtpmap.
    private static int ClockRateOf(MediaDescription media)
    {
        if (media.Formats.Count == 0 || !int.TryParse(media.Formats[0], NumberStyles.None, CultureInfo.InvariantCulture, out var payloadType))
        {
            return 8000;
        }

        if (media.GetRtpMap(payloadType) is { ClockRate: > 0 } map)
        {
            return map.ClockRate;
        }

        return payloadType switch
        {
            10 or 11 => 44100,
            14 or 25 or 26 or 28 or 31 or 32 or 33 or 34 => 90000,
            6 => 16000,
            16 => 11025,
            17 => 22050,
            _ => 8000,
        };
    }

    [LoggerMessage(EventId = 4300, Level = LogLevel.Warning, Message = "Call {CallId}: SDP refused: {Error}")]
    private static partial void LogBadSdp(ILogger logger, string callId, string error);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Error, Message = "Call {CallId}: no free media port pair in Media:PortRange")]
    private static partial void LogPortsExhausted(ILogger logger, string callId);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Call {CallId}: the answer accepted crypto tag {Tag} ({Suite}), which was never offered; the stream is not relayed")]
    private static partial void LogUnofferedKey(ILogger logger, string callId, int tag, string suite);
}
