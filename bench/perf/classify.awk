# Reads `perf script` output of SipTrunk (one sample per paragraph, call chains from the leaf up, managed frames
# named through DOTNET_PerfMapEnabled=1) and prints the share of samples per category. A sample goes to the first
# frame from the leaf up that names a category, so runtime work without symbols (allocation, GC, locks in
# libcoreclr) is counted under the SipTrunk or library code that called it. Used by bench/profile-siptrunk.sh.
BEGIN { RS = ""; FS = "\n" }
{
  n++
  category = ""
  if ($1 ~ /^\.NET Sockets/) category = "socket engine thread (epoll loop)"
  else if ($1 ~ /^\.NET Tiered Com/) category = "JIT (tiered compilation)"
  for (i = 2; i <= NF && category == ""; i++) {
    frame = $i
    if (frame ~ /LowLevelLifoSemaphore|sched_yield/) category = "thread pool: idle workers spinning/parking"
    else if (frame ~ /libcrypto|libssl/) category = "OpenSSL (TLS records, handshakes, HMAC, random)"
    else if (frame ~ /sendto|sys_sendmsg|__send/) category = "kernel: send (TCP loopback)"
    else if (frame ~ /recvfrom|sys_recvmsg|__recv|sys_read/) category = "kernel: receive"
    else if (frame ~ /futex|pthread_cond/) category = "thread wake-up/wait (futex)"
    else if (frame ~ /epoll/) category = "epoll"
    else if (frame ~ /\[SipTrunk\.Sip\] /) category = "SipTrunk.Sip (parse, validate, build)"
    else if (frame ~ /\[SipTrunk\.Core\] SipTrunk\.Core\.Proxy/) category = "SipTrunk.Core.Proxy"
    else if (frame ~ /\[SipTrunk\.Core\] SipTrunk\.Core\.Transactions/) category = "SipTrunk.Core.Transactions"
    else if (frame ~ /\[SipTrunk\.Core\] SipTrunk\.Core\.Transport/) category = "SipTrunk.Core.Transport"
    else if (frame ~ /\[(SipTrunk|siptrunk)[A-Za-z.]*\] /) category = "SipTrunk (other)"
  }
  if (category == "") category = "other (runtime, GC, unresolved)"
  count[category]++
}
END {
  for (c in count) printf "%6.1f%%  %s\n", 100 * count[c] / n, c
  printf "%6d   samples\n", n
}
