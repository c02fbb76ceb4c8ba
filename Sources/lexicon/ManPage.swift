import Lexicon

/// The `lexicon(1)` manual page in roff, built from the same help text as `--help` (one source of truth):
/// `lexicon manpage > /usr/local/share/man/man1/lexicon.1`.
enum ManPage {
    static func roff(_ registry: ProviderRegistry) -> String {
        var page = [
            ".TH LEXICON 1 \"\" \"lexicon \(HelpText.version)\" \"User Commands\"",
            ".SH NAME",
            "lexicon \\- create, list, update and delete DNS records at many DNS providers",
            ".SH SYNOPSIS",
            ".nf",
            "\\fBlexicon\\fR [GLOBAL OPTIONS] \\fIprovider\\fR \\fIaction\\fR \\fIdomain\\fR \\fItype\\fR [OPTIONS]",
            "\\fBlexicon\\fR dyndns|failover|wait\\-propagation|hook|auto|providers|completion|manpage ...",
            ".fi",
            ".SH DESCRIPTION",
        ]
        page += preformatted(HelpText.general(registry))
        page.append(".SH COMMANDS")
        for command in [
            "export", "apply", "batch", "dyndns", "failover", "wait-propagation", "hook", "auto", "completion",
            "providers",
        ] {
            page.append(".SS \(escape(command))")
            page += preformatted(HelpText.command([command], registry: registry) ?? "")
        }
        for client in ["certbot", "dehydrated", "lego"] {
            page.append(".SS \(escape("hook \(client)"))")
            page += preformatted(HelpText.hook(client: client))
        }
        page.append(".SH PROVIDERS")
        page += preformatted(HelpText.providers(registry))
        for descriptor in registry.descriptors {
            page.append(".SS \(escape(descriptor.name))")
            // The record and global options are the same for every provider: the DESCRIPTION lists them once.
            let text = HelpText.provider(descriptor)
            let own = text.firstRange(of: "\nRecord options:").map { String(text[..<$0.lowerBound]) } ?? text
            page += preformatted(own)
        }
        page += [
            ".SH FILES",
            ".TP", "\\fIlexicon.yml\\fR, \\fIlexicon_<provider>.yml\\fR",
            "configuration in \\-\\-config\\-dir (default: the current directory)",
            ".TP", "\\fI/tmp/lexicon\\-<uid>/\\fR",
            "zone locks of providers that replace whole record sets (lock_dir, LEXICON_LOCK_DIR)",
            ".SH ENVIRONMENT",
            ".TP", "\\fBLEXICON_<PROVIDER>_<OPTION>\\fR, \\fBLEXICON_<PROVIDER>_<OPTION>_FILE\\fR",
            "provider options, or a file holding one (secrets); also \\fB$CREDENTIALS_DIRECTORY\\fR",
            ".SH EXIT STATUS",
            "0 done; 1 provider or network failure; 2 invalid input or usage; 3 authentication failed or "
                + "domain not managed; 4 no matching record, or several.",
        ]
        return page.joined(separator: "\n") + "\n"
    }

    /// Help text as a no-fill block, so its columns stay as `--help` prints them.
    static func preformatted(_ text: String) -> [String] {
        [".nf"] + text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) } + [".fi"]
    }

    /// A line of text made safe for roff: backslashes and hyphens escaped, and a control character (`.`, `'`) at the
    /// start neutralised.
    static func escape(_ line: String) -> String {
        var text = line.replacing("\\", with: "\\e").replacing("-", with: "\\-")
        if text.hasPrefix(".") || text.hasPrefix("'") { text = "\\&" + text }
        return text
    }
}
