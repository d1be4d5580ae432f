import FleetAPI

/// What the last tick decoded, kept in memory by a sync loop so the next tick parses only
/// the files that changed since: the status objects of one `status/` tree and the hub files
/// of one commit. It is only an accelerator: without it a tick reads everything.
///
/// It lives only as long as the process. A `--once` run from cron reads every status and hub
/// file each tick; keeping this on disk needs a serialisation that is faster than parsing the
/// YAML again, which the encoders at hand were not (a JSON copy was slower to read than the
/// files it stood for).
struct DecodedCache: Sendable {
    /// The `status/` subtree the status objects were read from; nil when there was none.
    var statusTree: String?
    var status: FleetState
    /// Problems found reading status files, by path.
    var statusProblems: [String: [Diagnostic]]
    /// The commit whose hub files `hub` holds.
    var hubCommit: String?
    var hub: HubContent
}
