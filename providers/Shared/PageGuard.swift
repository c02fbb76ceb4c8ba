import Lexicon

/// The guard every paginated listing reads its pages through, so that no API (or proxy) that ignores the paging
/// parameters can keep a command asking forever: a page that repeats an earlier one, more items than the API
/// announced, or more than ``maximumPages`` pages end the listing with a one-line `provider` error (status 1).
struct PageGuard {
    /// The most pages one listing reads.
    static let maximumPages = 10_000

    /// The provider's name (`godaddy`).
    let provider: String
    /// The service's name in messages (`GoDaddy`).
    let service: String
    /// What is being listed (`list records`).
    let operation: String
    /// The parameters that select a page (`offset`), for the message.
    let parameters: String
    /// Pages read so far.
    private(set) var pages = 0
    /// Items read so far.
    private(set) var items = 0
    private var seen: [Int: Int] = [:]

    init(provider: String, service: String, operation: String, parameters: String) {
        self.provider = provider
        self.service = service
        self.operation = operation
        self.parameters = parameters
    }

    /// Records a page of JSON items.
    /// - Parameter total: How many items the API said the listing holds, if it said.
    /// - Throws: ``LexiconError`` `provider` when the page repeats an earlier one, the items pass `total`, or the
    ///   pages pass ``maximumPages``.
    mutating func read(_ pageItems: [JSONValue], total: Int? = nil) throws {
        try read(
            fingerprint: pageItems.isEmpty ? [] : JSONValue.array(pageItems).encoded(), count: pageItems.count,
            total: total)
    }

    /// Records a page by a fingerprint of its content (its items, or the marker of the next page).
    /// - Parameters:
    ///   - fingerprint: Bytes that differ between different pages; empty for an empty page (never a repeat).
    ///   - count: The items on the page.
    ///   - total: How many items the API said the listing holds, if it said.
    mutating func read(fingerprint: [UInt8], count: Int, total: Int? = nil) throws {
        pages += 1
        items += count
        if !fingerprint.isEmpty {
            var hasher = Hasher()
            hasher.combine(fingerprint)
            let key = hasher.finalize()
            if let earlier = seen[key] {
                throw failure(
                    "page \(pages) repeats page \(earlier): the API (or a proxy) ignores the paging parameters "
                        + "(\(parameters))")
            }
            seen[key] = pages
        }
        if let total, items > total {
            throw failure("the pages hold \(items) items, more than the \(total) \(service) announced")
        }
        if pages > Self.maximumPages {
            throw failure("the listing did not end after \(Self.maximumPages) pages")
        }
    }

    /// Fails when a page number passes the last page the API announced.
    mutating func check(page: Int, lastPage: Int?) throws {
        if let lastPage, page > max(lastPage, 1) {
            throw failure("page \(page) is past the \(lastPage) pages \(service) announced")
        }
    }

    private func failure(_ what: String) -> LexiconError {
        LexiconError(
            .provider, "\(operation): \(service) \(what); stopped reading, nothing was changed.", provider: provider)
    }
}

extension PageGuard {
    /// Every item of a listing paged by number from 1, read through a guard. The listing ends after the last page
    /// the API announced, at an empty page, or, when it announces only a total, once the items reach it.
    /// - Parameters:
    ///   - provider: The provider's name (`linode4`).
    ///   - service: The service's name in messages (`Linode`).
    ///   - operation: What is being listed (`list records`).
    ///   - parameters: The parameters that select a page, for messages.
    ///   - isolation: The caller's actor, which `read` runs on.
    ///   - read: Fetches a page by number: its items, and the last page and the item total the API announced.
    /// - Throws: What `read` throws; ``LexiconError`` `provider` when the pages do not add up (see ``PageGuard``).
    static func numbered(
        provider: String, service: String, operation: String, parameters: String = "page",
        isolation: isolated (any Actor)? = #isolation,
        read: (Int) async throws -> (items: [JSONValue], lastPage: Int?, total: Int?)
    ) async throws -> [JSONValue] {
        var guarded = PageGuard(provider: provider, service: service, operation: operation, parameters: parameters)
        var all: [JSONValue] = []
        var page = 1
        while true {
            let answer = try await read(page)
            try guarded.check(page: page, lastPage: answer.lastPage)
            try guarded.read(answer.items, total: answer.total)
            all += answer.items
            let last = answer.lastPage.map { page >= $0 } ?? (all.count >= answer.total ?? all.count)
            if last || answer.items.isEmpty { return all }
            page += 1
        }
    }
}
