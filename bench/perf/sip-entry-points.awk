# Reads `perf script` output of SipTrunk and prints, for the samples spent in SipTrunk.Sip code, the outermost
# SipTrunk.Sip method and the SipTrunk.Core method that called it, as a share of all samples: which callers pay for
# parsing and validation. Used by bench/profile-siptrunk.sh.
BEGIN { RS = ""; FS = "\n" }
function name(frame) {
  sub(/^[ \t]*[0-9a-f]+ /, "", frame); sub(/\+0x[0-9a-f]+ \(.*$/, "", frame); sub(/\[(Optimized|Quick|Instrumented).*$/, "", frame)
  gsub(/\[[A-Za-z.]+\] ?/, "", frame); gsub(/class |valuetype |instance /, "", frame); sub(/\(.*/, "", frame)
  return frame
}
{
  n++
  outer = ""; caller = ""
  for (i = 2; i <= NF; i++) if ($i ~ /\[SipTrunk\.Sip\] /) { outer = name($i); last = i }
  if (outer == "") next
  for (i = last + 1; i <= NF; i++) if ($i ~ /\[SipTrunk\.Core\] /) { caller = name($i); break }
  count[outer " <- " caller]++
  total++
}
END {
  for (k in count) printf "%5.1f%%  %s\n", 100 * count[k] / n, k
  printf "%5.1f%%  all SipTrunk.Sip code, inclusive\n", 100 * total / n
}
