using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>
/// RFC 3261 §17.1.3: a response matches a client transaction by the branch of its top Via and its CSeq method. The
/// branch is ours (<see cref="TransactionLayer.NewBranch"/>) and echoed unchanged, so it is compared exactly; an
/// extension method maps to <see cref="SipMethod.Unknown"/>, which is enough because branches are unique per request
/// and only INVITE and its CANCEL share one.
/// </summary>
internal readonly record struct ClientTransactionKey(string Branch, SipMethod Method);
