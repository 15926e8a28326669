using System.Net.Security;
using System.Security.Authentication;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Tests.Transport;

public sealed class TransportSettingsTests
{
    [Fact]
    public void Validate_Defaults_Pass() => new TransportSettings().Validate();

    [Fact]
    public void Validate_KeepAliveDisabled_Passes() => new TransportSettings { KeepAliveInterval = TimeSpan.Zero }.Validate();

    [Theory]
    [InlineData(nameof(TransportSettings.MaxConnectionsPerIp))]
    [InlineData(nameof(TransportSettings.MaxMessageBytes))]
    [InlineData(nameof(TransportSettings.SendQueueLimit))]
    [InlineData(nameof(TransportSettings.HandshakeTimeout))]
    [InlineData(nameof(TransportSettings.IdleTimeout))]
    public void Validate_OutOfRange_ThrowsNamingTheSetting(string setting)
    {
        var settings = setting switch
        {
            nameof(TransportSettings.MaxConnectionsPerIp) => new TransportSettings { MaxConnectionsPerIp = 0 },
            nameof(TransportSettings.MaxMessageBytes) => new TransportSettings { MaxMessageBytes = 70000 },
            nameof(TransportSettings.SendQueueLimit) => new TransportSettings { SendQueueLimit = 0 },
            nameof(TransportSettings.HandshakeTimeout) => new TransportSettings { HandshakeTimeout = TimeSpan.Zero },
            _ => new TransportSettings { IdleTimeout = TimeSpan.FromDays(60) },
        };

        var error = Assert.Throws<ArgumentException>(settings.Validate);

        Assert.Equal(setting, error.ParamName);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12 | SslProtocols.Tls13, true)]
    [InlineData(SslProtocols.Tls13, true)]
    [InlineData(SslProtocols.Tls12, false)]
#pragma warning disable SYSLIB0039, CA5397 // the point is to refuse them
    [InlineData(SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13, false)]
#pragma warning restore SYSLIB0039, CA5397
    [InlineData(SslProtocols.None, false)]
    public void IsSupportedProtocols_OnlyTls12And13OrTls13Alone(SslProtocols protocols, bool expected) =>
        Assert.Equal(expected, TlsSettings.IsSupportedProtocols(protocols));

    [Fact]
    public void DefaultCipherSuites_AreAeadWithForwardSecrecyOnly()
    {
        Assert.Equal(9, TlsSettings.DefaultCipherSuites.Count);
        Assert.All(TlsSettings.DefaultCipherSuites, suite =>
        {
            var name = suite.ToString();
            Assert.True(name.Contains("GCM", StringComparison.Ordinal) || name.Contains("CHACHA20_POLY1305", StringComparison.Ordinal), name);
            Assert.True(name.StartsWith("TLS_AES", StringComparison.Ordinal) || name.StartsWith("TLS_CHACHA20", StringComparison.Ordinal)
                || name.StartsWith("TLS_ECDHE_", StringComparison.Ordinal), name);
        });
        Assert.Contains(TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsSettings.DefaultCipherSuites);
    }
}
