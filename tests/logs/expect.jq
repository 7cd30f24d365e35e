# The part of `dnsdoctor logs --json` a corpus .expect file pins: the
# format, every failure's type, cause, challenge, domains and count, and
# every domain's retry row. Times are left out so a freshly made corpus
# (lab/acme/make-corpus) is held to the same file.
{
  format,
  failures: ([.failures[] | {type, cause, challenge, domains, count}]
             | sort_by(.cause, .domains)),
  retries: [.retries[] | {domain, attempts, failures, successes,
                          rate_limit: .rate_limit.status}]
}
