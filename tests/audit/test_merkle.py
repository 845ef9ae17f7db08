import itertools

from audit import merkle

# RFC 6962 test inputs and roots (certificate-transparency test vectors).
LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def _hashes(n):
    return [merkle.leaf_hash(d) for d in LEAVES[:n]]


def test_roots_match_rfc6962_vectors_both_ways():
    assert merkle.root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    for n in range(1, 9):
        compact = merkle.CompactRange()
        for h in _hashes(n):
            compact.append(h)
        assert merkle.root(_hashes(n)).hex() == ROOTS[n - 1]
        assert compact.root().hex() == ROOTS[n - 1]


def test_inclusion_proof_vector():
    # RFC 6962 vectors: leaf 0 of 8 has the path [leaf 1, MTH(2:4), MTH(4:8)].
    leaves = _hashes(8)
    proof = merkle.inclusion_proof(0, leaves)
    assert [p.hex() for p in proof] == [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]


def test_every_inclusion_and_consistency_proof_verifies_and_forgeries_fail():
    leaves = [merkle.leaf_hash(str(i).encode()) for i in range(40)]
    roots = {n: merkle.root(leaves[:n]) for n in range(41)}
    for n in range(1, 41):
        for i in range(n):
            proof = merkle.inclusion_proof(i, leaves, n)
            assert merkle.verify_inclusion(i, n, leaves[i], proof, roots[n])
            assert not merkle.verify_inclusion(i, n, merkle.leaf_hash(b"forged"), proof, roots[n])
            if proof:
                bad = [bytes(32)] + proof[1:]
                assert not merkle.verify_inclusion(i, n, leaves[i], bad, roots[n])
            if n > 1:
                assert not merkle.verify_inclusion((i + 1) % n, n, leaves[i], proof, roots[n])
    for m, n in itertools.combinations(range(1, 41), 2):
        proof = merkle.consistency_proof(m, leaves, n)
        assert merkle.verify_consistency(m, n, roots[m], roots[n], proof)
        assert not merkle.verify_consistency(m, n, merkle.leaf_hash(b"x"), roots[n], proof)
        assert not merkle.verify_consistency(m, n, roots[m], roots[n], proof[:-1])


def test_consistency_proof_vector():
    # RFC 6962 vectors: PROOF(6, D[8]) = [MTH(4:6), MTH(6:8), MTH(0:4)].
    leaves = _hashes(8)
    assert [p.hex() for p in merkle.consistency_proof(6, leaves)] == [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]
