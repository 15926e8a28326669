using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Soak;

/// <summary>
/// One registered baresip (the PBX, <c>srtp-mand</c>) calling a baresip carrier through SipTrunk again and again until
/// a deadline: each call carries SRTP audio both ways (counted decrypted by both ends) and is hung up by the caller.
/// </summary>
internal sealed class SrtpCallLoop(BaresipProcess caller, BaresipProcess callee, string number, int callSeconds)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

    // Both ends' control messages already looked at, so each wait sees only the next call's events.
    private int _callerSeen;
    private int _calleeSeen;

    /// <summary>Calls that carried audio both ways and ended on both sides.</summary>
    public int CompletedCalls { get; private set; }

    /// <summary>Places calls until <paramref name="until"/> passes; the call under way then is finished first.</summary>
    public async Task RunAsync(DateTimeOffset until, TimeProvider time, CancellationToken cancellationToken)
    {
        var packets = callSeconds * 50L;
        while (time.GetUtcNow() < until)
        {
            await caller.SendCommandAsync($"/dial sip:{number}@localhost", cancellationToken);
            _callerSeen = await caller.WaitForNextEventAsync("CALL_ESTABLISHED", _callerSeen, Step, cancellationToken);
            _calleeSeen = await callee.WaitForNextEventAsync("CALL_ESTABLISHED", _calleeSeen, Step, cancellationToken);

            // audio_debug counts the current call's packets only, after SRTP decryption.
            var heard = await caller.WaitForAudioAsync(packets, Step, cancellationToken);
            var spoken = await callee.WaitForAudioAsync(packets, Step, cancellationToken);
            if (!heard.Secure || !spoken.Secure)
            {
                throw new InvalidOperationException($"call {CompletedCalls + 1} to {number} was not SRTP:\n{heard.Text}\n{spoken.Text}");
            }

            await caller.SendCommandAsync("/hangup", cancellationToken);
            _callerSeen = await caller.WaitForNextEventAsync("CALL_CLOSED", _callerSeen, Step, cancellationToken);
            _calleeSeen = await callee.WaitForNextEventAsync("CALL_CLOSED", _calleeSeen, Step, cancellationToken);
            CompletedCalls++;
        }
    }
}
