import Testing
@testable import ContainerKit

@Suite struct UserPasswordTests {
    @Test(arguments: [
        ("alice:secret", "alice", "secret"), ("bob:pa:ss word", "bob", "pa:ss word"), ("x_1.y-z:p", "x_1.y-z", "p"),
    ])
    func userPasswordPairs(pair: String, user: String, password: String) throws {
        let parsed = try #require(UserPassword(pair))
        #expect(parsed.user == user && parsed.password == password)
    }

    @Test(arguments: ["alice", ":pw", "alice:", "-rf:pw", "a b:pw", "a$(x):pw", "alice:two\nlines"])
    func badUserPasswordPairs(pair: String) {
        #expect(UserPassword(pair) == nil)
    }
}
