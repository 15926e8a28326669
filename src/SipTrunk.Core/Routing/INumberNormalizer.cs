namespace SipTrunk.Core.Routing;

// TEMPORARY STUB (replaced by wt-routing at merge)
public interface INumberNormalizer
{
    string? Normalize(string user);
}
