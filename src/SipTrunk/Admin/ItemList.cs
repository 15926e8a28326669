namespace SipTrunk.Admin;

/// <summary>The JSON envelope of the admin API's lists: <c>{ "items": [...] }</c>, room to add fields later.</summary>
internal sealed record ItemList<T>(IReadOnlyList<T> Items);
