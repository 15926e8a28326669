using Microsoft.Extensions.Hosting;

namespace SipTrunk.Admin;

/// <summary>
/// The admin web host's lifetime: none of its own. The default console lifetime would hook SIGINT/SIGTERM a second
/// time and stop the API at once, while the proxy drains calls; the proxy's host starts and stops it instead.
/// </summary>
internal sealed class AdminHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
