using System.Collections.ObjectModel;

namespace SipTrunk.Sip.Sdp;

/// <summary>A list of SDP tokens (the <c>m=</c> format list) that validates entries and tells its owner when it changes.</summary>
internal sealed class SdpTokenCollection : Collection<string>
{
    private readonly Action _changed;

    internal SdpTokenCollection(IEnumerable<string> tokens, Action changed)
    {
        foreach (string token in tokens)
        {
            SdpText.ThrowIfNotToken(token, nameof(tokens));
            Items.Add(token);
        }

        _changed = changed;
    }

    protected override void InsertItem(int index, string item)
    {
        SdpText.ThrowIfNotToken(item, nameof(item));
        base.InsertItem(index, item);
        _changed();
    }

    protected override void SetItem(int index, string item)
    {
        SdpText.ThrowIfNotToken(item, nameof(item));
        base.SetItem(index, item);
        _changed();
    }

    protected override void RemoveItem(int index)
    {
        base.RemoveItem(index);
        _changed();
    }

    protected override void ClearItems()
    {
        base.ClearItems();
        _changed();
    }
}
