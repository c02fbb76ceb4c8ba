/// The help pages of the zone actions: `export`, `apply`, `batch`.
extension HelpText {
    static func zoneOptionLines(_ keys: [String]) -> String {
        optionLines(CommandLineParser.zoneOptions.filter { keys.contains($0.key) }.map { ($0.usage, $0.help) })
    }

    static var export: String {
        """
        Usage: lexicon <provider> export <domain> [--format bind|json|yaml]

        Prints every record of the zone: a zone file that named-checkzone accepts (bind, the
        default; an SOA is made up when the provider lists none), or the records of the contract
        in json (as `list --output JSON`) or yaml. The output is what `apply --file` reads.

        Options:
        \(zoneOptionLines(["format"]))

        Example (move a zone from one provider to another):
          lexicon localzone export example.com --format json --filename example.com.zone \\
            | lexicon powerdns apply example.com --file - --pdns-server http://127.0.0.1:8081 \\
                --auth-token "$TOKEN"
        """
    }

    static var apply: String {
        """
        Usage: lexicon <provider> apply <domain> --file FILE|- [--plan|--dry-run] [--prune] [--force]
                   [--ignore PATTERN] [--threshold PERCENT] [--manage-apex-ns] [--output JSON]

        Brings the zone to the records of a file: a zone file, or the json or yaml of `export`.
        The difference with the live zone is computed by record set (name and type) and printed
        before anything changes:
          + www.example.com A 300 192.0.2.1                  a set to create
          ~ www.example.com A 300 192.0.2.1 -> 600 192.0.2.2  a set to update (old -> new)
          - old.example.com TXT 3600 "gone"                  a set to delete (with --prune)
        Without --prune, sets absent from the file are left alone. The SOA is never changed and
        the apex NS only with --manage-apex-ns. A plan that updates or deletes more than 25 % of
        the zone's record sets (zones of 10 sets or more) is refused unless --force. A second
        apply of the same file plans nothing. Providers with a batch API get the whole plan in
        one request (PowerDNS: one PATCH); others get one operation per value, several sets at
        a time. After a failure part-way, the output says what was applied and what was not:
        run the same apply again to finish.

        Options:
        \(zoneOptionLines(["file", "format", "plan", "prune", "force", "ignore", "threshold", "manage_apex_ns"]))
          --output JSON               the plan (and what was applied) as one JSON document

        Exit status: 0 applied (or planned), 1 a change failed, 2 invalid input or a plan refused
        by the threshold, 3 authentication failed.
        """
    }

    static var batch: String {
        """
        Usage: lexicon <provider> batch <domain> < operations.jsonl

        Runs operations read from standard input, one JSON object a line, in one process with
        one authentication:
          {"action":"create","type":"A","name":"www","content":"192.0.2.1"}
          {"action":"delete","type":"TXT","name":"_acme-challenge","content":"token"}
          {"action":"list","type":"MX"}
        Keys: action (create, list, update, delete), type, name, content, ttl, priority,
        identifier. Each line gets one result line, in order: true, the list's records in JSON,
        or {"error": "...", "status": N}. The exit status is the worst of the lines' statuses.
        """
    }
}
