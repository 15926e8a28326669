using System.Collections.ObjectModel;

namespace SipTrunk.Sip.Sdp;

/// <summary>The media sections of a session description; rejects null entries so writing can never fail.</summary>
internal sealed class SdpMediaCollection : Collection<MediaDescription>
{
    internal SdpMediaCollection(IEnumerable<MediaDescription> media)
    {
        foreach (MediaDescription item in media)
        {
            Items.Add(item);
        }
    }

    protected override void InsertItem(int index, MediaDescription item)
    {
        ArgumentNullException.ThrowIfNull(item);
        base.InsertItem(index, item);
    }

    protected override void SetItem(int index, MediaDescription item)
    {
        ArgumentNullException.ThrowIfNull(item);
        base.SetItem(index, item);
    }
}
