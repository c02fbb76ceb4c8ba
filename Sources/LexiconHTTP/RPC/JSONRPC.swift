import Lexicon

/// JSON-RPC 2.0 envelopes (https://www.jsonrpc.org/specification): the request body and the reading of the answer,
/// on our JSON reader. Answers without the `jsonrpc` member are read too (Njalla's `{result}` / `{error}` shape).
/// netcup's and hosting.de's envelopes are their own; INWX's DomRobot puts its own `{code, msg, resData}` in the
/// answer, over ``XMLRPC`` as dns-lexicon uses it.
public enum JSONRPC {
    /// A request body: `{"jsonrpc":"2.0","method":…,"params":…,"id":…}`.
    /// - Parameters:
    ///   - method: The method's name.
    ///   - params: The parameters, an object (by name) or an array (by position); nil leaves the member out.
    ///   - id: The request's id, echoed in the answer.
    public static func request(method: String, params: JSONValue? = nil, id: JSONValue = .int(1)) -> [UInt8] {
        var pairs: [(String, JSONValue)] = [("jsonrpc", .string("2.0")), ("method", .string(method))]
        if let params { pairs.append(("params", params)) }
        pairs.append(("id", id))
        return JSONValue.object(pairs).encoded()
    }

    /// Reads an answer: its `result`, or its `error` as a fault. The HTTP status is not checked (servers answer
    /// faults with 200 or 500 alike): check for 401 and 403 before calling this.
    /// - Parameters:
    ///   - response: The HTTP response.
    ///   - id: The id the request sent; an answer with another id (other than `null`) is refused.
    ///   - operation: What was being done (`create record`), for messages.
    ///   - provider: The provider's name.
    ///   - service: The service's name in messages.
    /// - Returns: The result, or the fault.
    /// - Throws: ``LexiconError`` `provider` when the body is not JSON or not a JSON-RPC answer.
    public static func response(
        _ response: HTTPResponse, id: JSONValue? = nil, operation: String, provider: String, service: String
    ) throws -> Result<JSONValue, RPCFault> {
        let body = try response.json(operation: operation, provider: provider, service: service)
        func malformed(_ why: String) -> LexiconError {
            LexiconError(
                .provider,
                "\(operation): \(service) answered HTTP \(response.status) with JSON that is not a JSON-RPC answer "
                    + "(\(why)): \"\(DisplayText.escaped(response.body))\"", provider: provider)
        }
        guard body.object != nil else { throw malformed("not an object") }
        if let version = body["jsonrpc"], version != .string("2.0") { throw malformed("jsonrpc is not \"2.0\"") }
        if let id, let answered = body["id"], !answered.isNull, answered != id {
            throw malformed("the id \(answered.text) answers another request")
        }
        switch (body["result"], body["error"]) {
        case (let result?, nil), (let result?, .null?):
            return .success(result)
        case (nil, let error?), (.null?, let error?):
            guard let code = error["code"]?.int else { throw malformed("its error has no integer code") }
            guard let message = error["message"]?.string else { throw malformed("its error has no message") }
            return .failure(RPCFault(code: code, message: message, data: error["data"]))
        case (nil, nil):
            throw malformed("neither result nor error")
        case (_?, _?):
            throw malformed("both result and error")
        }
    }
}
