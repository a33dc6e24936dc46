/// The Taylor coefficients of the scaled complementary error function
/// `erfcx t = e^(t²) · erfc t` around `x₀ = j/16`, `j = 8…96` (0.5 … 6): row `j − 8` holds
/// `cₙ = erfcx⁽ⁿ⁾(x₀)/n!` for `n = 0…9`, so `erfcx(x₀ + h) ≈ Σₙ cₙhⁿ` for `|h| ≤ 1/32`.
///
/// Generated with mpmath 1.3 at 60 digits, each coefficient rounded to the nearest `Double`:
///
///     import mpmath
///     mpmath.mp.dps = 60
///     f = lambda t: mpmath.exp(t * t) * mpmath.erfc(t)
///     for j in range(8, 97):
///         print(", ".join(float(c).hex() for c in mpmath.taylor(f, mpmath.mpf(j) / 16, 9)))
extension PortableMath {
  static let erfcxCoefficients: [Double] = [
    // j = 8
    0x1.3b3bc3c98b0f3p-1, -0x1.067f263ec85e7p-1, 0x1.6ff861544dbfep-2,
    -0x1.c6ad7a6f37d15p-3, 0x1.fc9a0570ff972p-4, -0x1.0605940f2cbc7p-4,
    0x1.f7744f3736f69p-6, -0x1.c71017377b1f1p-7, 0x1.85b04969582edp-8,
    -0x1.3de720c492bbep-9,
    // j = 9
    0x1.2b84f076e14fbp-1, -0x1.e18ab7052be7fp-2, 0x1.482bd9fad9ed0p-2,
    -0x1.8bed65e01718dp-3, 0x1.b1a22aa7a6dc0p-4, -0x1.b65943018044bp-5,
    0x1.9dcc15144e60fp-6, -0x1.6ff6b38454d3fp-7, 0x1.364eb29716855p-8,
    -0x1.f301024a60e0dp-10,
    // j = 10
    0x1.1d16b5809eaf6p-1, -0x1.babd0e4f1a24dp-2, 0x1.2577420fcd07dp-2,
    -0x1.59c35c06f7ffep-3, 0x1.72d46a9b3f0fap-4, -0x1.6fce5df0ba11ap-5,
    0x1.552fe700068d8p-6, -0x1.2a7f4fb7adbd0p-7, 0x1.efd03c2d4084ep-9,
    -0x1.88ef9972dbd5dp-10,
    // j = 11
    0x1.0fce4e96dd619p-1, -0x1.97fe7bf1c60f0p-2, 0x1.071da7f78298dp-2,
    -0x1.2ecd75f4d05d4p-3, 0x1.3e0e0ed6b5f18p-4, -0x1.358dce2b361d2p-5,
    0x1.1a31bff52474bp-6, -0x1.e5d3e4fd95e6fp-8, 0x1.8d62a9331d61fp-9,
    -0x1.366c6d2e3c44bp-10,
    // j = 12
    0x1.038d54ea3d834p-1, -0x1.78cdd551ee51ap-2, 0x1.d90093ae10928p-3,
    -0x1.09e77d40e0239p-3, 0x1.1192f5bd6877dp-4, -0x1.054d68295b244p-5,
    0x1.d43a7c7a661b3p-7, -0x1.8c97dd4ea4906p-8, 0x1.3f81897ce8651p-9,
    -0x1.ec0cf4e3344b7p-11,
    // j = 13
    0x1.f0723ff5acdf9p-2, -0x1.5cbc2c216df00p-2, 0x1.aa32b83507192p-3,
    -0x1.d43ed8ca5d7a1p-4, 0x1.d7f26045a23f1p-5, -0x1.ba6d691685b3fp-6,
    0x1.859d3cc5fa92bp-7, -0x1.44bd2e2b89098p-8, 0x1.01b062044ae6dp-9,
    -0x1.87347d1168316p-11,
    // j = 14
    0x1.db747ee409ac5p-2, -0x1.4369f60195edcp-2, 0x1.80ef8f454cf88p-3,
    -0x1.9d5868de0b581p-4, 0x1.9831c2c85003fp-5, -0x1.779dd2a3da23dp-6,
    0x1.452648d62b706p-7, -0x1.0ab3832b9a70bp-8, 0x1.a0ef7ee62fbe2p-10,
    -0x1.37fe70bb1c704p-11,
    // j = 15
    0x1.c7f81382721efp-2, -0x1.2c84af7c10e14p-2, 0x1.5c775dfc44978p-3,
    -0x1.6dcc9e7a2c9b5p-4, 0x1.61fee765ff5d7p-5, -0x1.3fc8366a2e3f3p-6,
    0x1.102167daf7951p-7, -0x1.b75cb1aca9956p-9, 0x1.524f5c6cffac2p-10,
    -0x1.f329c42d74ddbp-12,
    // j = 16
    0x1.b5d8780f956b2p-2, -0x1.17c4e3f17c050p-2, 0x1.3c27283c32cc4p-3,
    -0x1.44837f8906fd0p-4, 0x1.33cad0ef5e9b8p-5, -0x1.10fcf1b559187p-6,
    0x1.c8cb958c857e1p-8, -0x1.6af2654e3638fp-9, 0x1.135262e56a619p-10,
    -0x1.9082234d572afp-12,
    // j = 17
    0x1.a4f550c5f1a99p-2, -0x1.04ec886c0552fp-2, 0x1.1f73ffa65802dp-3,
    -0x1.20926c49bc2e9p-4, 0x1.0c4c6c3e58143p-5, -0x1.d352a281f7a5fp-7,
    0x1.807142df86203p-8, -0x1.2cabf5b165059p-9, 0x1.c16bd0b290ea8p-11,
    -0x1.424d04037d624p-12,
    // j = 18
    0x1.9531e09b149b5p-2, -0x1.e78b356770fbbp-3, 0x1.05e72521ca1b8p-3,
    -0x1.01343a2c92265p-4, 0x1.d4e711a2df97dp-6, -0x1.910a5d7c0a71fp-7,
    0x1.446c5166ccf50p-8, -0x1.f38c6d05105bbp-10, 0x1.6fd9a57ac0b67p-11,
    -0x1.041e38d558d9dp-12,
    // j = 19
    0x1.8674923c605e1p-2, -0x1.c841f18283f7ap-3, 0x1.de35ab5b880c5p-4,
    -0x1.cb858a0b1dd62p-5, 0x1.9abcc2c9dcaa4p-6, -0x1.5908bd6b9e1b5p-7,
    0x1.127f6dc29e62cp-8, -0x1.a01de524b7018p-10, 0x1.2ded1b77701cap-11,
    -0x1.a5103343328f1p-13,
    // j = 20
    0x1.78a692138767ap-2, -0x1.abaacdbfa8b07p-3, 0x1.b56f45eef7e58p-4,
    -0x1.9b635ac624ad5p-5, 0x1.68a25a6641f25p-6, -0x1.299636d6c5895p-7,
    0x1.d1b695aabbf6bp-9, -0x1.5b8bc94c61d2dp-10, 0x1.f0fe6fb5fda5ep-12,
    -0x1.55c07d22af371p-13,
    // j = 21
    0x1.6bb376a9390cdp-2, -0x1.917d7928e2332p-3, 0x1.90e47c99926d2p-4,
    -0x1.711413b59af42p-5, 0x1.3d5e9f54c979dp-6, -0x1.014991d657937p-7,
    0x1.8c10e9ab0002dp-9, -0x1.23093060882a6p-10, 0x1.9a25c3d74d4dfp-12,
    -0x1.1624f918afa50p-13,
    // j = 22
    0x1.5f88f52f3c76bp-2, -0x1.797a639d8129dp-3, 0x1.701342cbcea7bp-4,
    -0x1.4bcdb9d9083c2p-5, 0x1.17eba60d31fcap-6, -0x1.bdf24bccac617p-8,
    0x1.51ab9ffce7487p-9, -0x1.e8ae68b41e917p-11, 0x1.535f57fdf98cep-12,
    -0x1.c5fa6b09cc72dp-14,
    // j = 23
    0x1.5416a05961e1cp-2, -0x1.63698e1f5ae48p-3, 0x1.528b08cb62361p-4,
    -0x1.2ae454cdcb79cp-5, 0x1.eedbaf5ddfda4p-7, -0x1.835e05b3634a8p-8,
    0x1.209579b140a65p-9, -0x1.9b4f0e3ff8bd9p-11, 0x1.198a212486846p-12,
    -0x1.73787d34d56f0p-14,
    // j = 24
    0x1.494daffa2ad68p-2, -0x1.4f1988444caf7p-3, 0x1.37ea271bc54bdp-4,
    -0x1.0dc51d2941e6dp-5, 0x1.b65944f34f7adp-7, -0x1.513ed7600d1c0p-8,
    0x1.ee705e736464dp-10, -0x1.5b0abfe65a32dp-11, 0x1.d4509d0d417d6p-13,
    -0x1.30c0ec743bcdep-14,
    // j = 25
    0x1.3f20d017f3530p-2, -0x1.3c5e938b9cefbp-3, 0x1.1fdbb34b82defp-4,
    -0x1.e7e4fd2df9084p-6, 0x1.85190196365edp-7, -0x1.2642531a9749ep-8,
    0x1.a88dd7192b22fp-10, -0x1.2586ab9d2a252p-11, 0x1.8679420cc46bdp-13,
    -0x1.f552dbc7bdee5p-15,
    // j = 26
    0x1.3583f6644327bp-2, -0x1.2b11e6959934cp-3, 0x1.0a15ac2adab35p-4,
    -0x1.ba018e6428103p-6, 0x1.5a142948a9b2fp-7, -0x1.014eae28304aep-8,
    0x1.6d609f6ab13b0p-10, -0x1.f1b43d3ab831cp-12, 0x1.465ecd15accd9p-13,
    -0x1.9d62282ca32f9p-15,
    // j = 27
    0x1.2c6c3d2ac6111p-2, -0x1.1b110b4094c34p-3, 0x1.ecaedd6244629p-5,
    -0x1.9126c9e5ff890p-6, 0x1.346c4610698dfp-7, -0x1.c2f162807b1dap-9,
    0x1.3b26815b39a3dp-10, -0x1.a6efc31a4ed0fp-12, 0x1.1172b61840c76p-13,
    -0x1.55b710d180486p-15,
    // j = 28
    0x1.23cfc2f1dc7e0p-2, -0x1.0c3d538446447p-3, 0x1.c8d0cef0f810dp-5,
    -0x1.6cb52fe48945fp-6, 0x1.13648a11ffe73p-7, -0x1.8bf716a8eabedp-9,
    0x1.106bd5c04334ap-10, -0x1.6838884ab6b8bp-12, 0x1.cb4c687e4d0f2p-14,
    -0x1.1b2912cd41cadp-15,
    // j = 29
    0x1.1ba58e2518db3p-2, -0x1.fcf6c328b302ep-4, 0x1.a82dedb53def2p-5,
    -0x1.4c2309f687b06p-6, 0x1.ecb8b2b74bdd2p-8, -0x1.5c644ff18433dp-9,
    0x1.d7fa1b612025bp-11, -0x1.337daca803bd2p-12, 0x1.82a06dd1b984ap-14,
    -0x1.d6670a4a9b4acp-16,
    // j = 30
    0x1.13e5743b60480p-2, -0x1.e36580c7f734ap-4, 0x1.8a6efeed233adp-5,
    -0x1.2ef92f6f10797p-6, 0x1.b99589d40f23dp-8, -0x1.33237c3eeaceep-9,
    0x1.99b60e42dd5a3p-11, -0x1.070e0cb5e2660p-12, 0x1.4631c4b0b2352p-14,
    -0x1.87a61e43c3121p-16,
    // j = 31
    0x1.0c8803dfa92b2p-2, -0x1.cb9b1437dd505p-4, 0x1.6f4730a4cfc21p-5,
    -0x1.14d04d95e020cp-6, 0x1.8c7595ee7a895p-8, -0x1.0f4ab6478f474p-9,
    0x1.646338edbf4b7p-11, -0x1.c30c1ea66767ep-13, 0x1.13d2b42a4a6a3p-14,
    -0x1.46d55589a9738p-16,
    // j = 32
    0x1.058671b52c776p-2, -0x1.b57034efd3f72p-4, 0x1.5672b9ea13de6p-5,
    -0x1.fa9d3ac955d97p-7, 0x1.64907215a3c6ap-8, -0x1.e028e8a56d08fp-10,
    0x1.369ffa07ce05cp-11, -0x1.8382216846e2bp-13, 0x1.d37ba54eaa51cp-15,
    -0x1.115cfdc8ca2ddp-16,
    // j = 33
    0x1.fdb50ebdc92cep-3, -0x1.a0c196a4dfbadp-4, 0x1.3fb5ad8f09d0fp-5,
    -0x1.d04be8dc9de70p-7, 0x1.413a25f521977p-8, -0x1.a9b3057f70d5bp-10,
    0x1.0f44e853c918cp-11, -0x1.4d9b56a6f1098p-13, 0x1.8d033e96d33f6p-15,
    -0x1.ca4d0875f22dbp-17,
    // j = 34
    0x1.f0fd28fdc20abp-3, -0x1.8d6f73d5aa121p-4, 0x1.2adaf7aaf55e1p-5,
    -0x1.aa2443aac74b2p-7, 0x1.21decee0edf8cp-8, -0x1.7a181925bb08ep-10,
    0x1.dab55d6f63404p-12, -0x1.1fc8912a69d8ap-13, 0x1.51e08664a5944p-15,
    -0x1.810494835c069p-17,
    // j = 35
    0x1.e4dac2d95830ep-3, -0x1.7b5d2754d7c15p-4, 0x1.17b37f5230d5ep-5,
    -0x1.87af15ba61d1ep-7, 0x1.05fefdc10d5c8p-8, -0x1.5067009723dbcp-10,
    0x1.a02387a21eac8p-12, -0x1.f17e0b0b573d6p-14, 0x1.2025332fd5edep-15,
    -0x1.4425f73725c94p-17,
    // j = 36
    0x1.d94446d627932p-3, -0x1.6a70d2bb37411p-4, 0x1.0615670e25a7bp-5,
    -0x1.6883f9919a17ap-7, 0x1.da595561f7d33p-9, -0x1.2bd251bb2f029p-10,
    0x1.6d7743d3b280dp-12, -0x1.aed7ebc99e2e3p-14, 0x1.ec773cc9261b6p-16,
    -0x1.117a666464e16p-17,
    // j = 37
    0x1.ce30e45ab6494p-3, -0x1.5a930ffb85474p-4, 0x1.ebb6ceff21772p-6,
    -0x1.4c4757001fa1fp-7, 0x1.ae11499bf38f8p-9, -0x1.0baab49fe2a34p-10,
    0x1.418a6cb2e4074p-12, -0x1.75d563946844dp-14, 0x1.a5ac3c845efdfp-16,
    -0x1.ce6a021c04ce5p-18,
    // j = 38
    0x1.c3987d04d0b98p-3, -0x1.4baeac94dc8b2p-4, 0x1.cdc880a056a24p-6,
    -0x1.32a8abc8db398p-7, 0x1.8680d2874937fp-9, -0x1.deb45e9cfe680p-11,
    0x1.1b649b9adb1b3p-12, -0x1.44f8e8c28511ap-14, 0x1.69c3459d70630p-16,
    -0x1.87bc534acf6dbp-18,
    // j = 39
    0x1.b9739404354ecp-3, -0x1.3db06d1993ad1p-4, 0x1.b22478684a9f1p-6,
    -0x1.1b6113e021160p-7, 0x1.6318a0bc8930ep-9, -0x1.acc072bb231b2p-11,
    0x1.f46739b7feec7p-13, -0x1.1b03882251bddp-14, 0x1.36f5d79c569a2p-16,
    -0x1.4c861f1911aa6p-18,
    // j = 40
    0x1.afbb3f3b7343bp-3, -0x1.3086d7f01ac85p-4, 0x1.98958a7a8e4a3p-6,
    -0x1.0632076809dfcp-7, 0x1.435c04e207ca1p-9, -0x1.809ce8ab533c9p-11,
    0x1.ba8a67cfbec13p-13, -0x1.edd42399125a8p-15, 0x1.0bcba32026914p-16,
    -0x1.1ad10dac3cb37p-18,
    // j = 41
    0x1.a66919f10d593p-3, -0x1.2422065bd29b3p-4, 0x1.80ec0e5b3c127p-6,
    -0x1.e5c88c64014edp-8, 0x1.26de51acacefep-9, -0x1.598bd8c8d8be6p-11,
    0x1.8803e4400b1f7p-13, -0x1.af98796ce2d36p-15, 0x1.ce18d9d927400p-17,
    -0x1.e201f869db4f9p-19,
    // j = 42
    0x1.9d7738e1f4db7p-3, -0x1.18737afe106cep-4, 0x1.6afd3ba3fa642p-6,
    -0x1.c28dd3c4d6775p-8, 0x1.0d40a2ab36976p-9, -0x1.36e9940d2f684p-11,
    0x1.5bd1dd62fd3a8p-13, -0x1.79dac381059adp-15, 0x1.8f6934594633bp-17,
    -0x1.9b862088a9031p-19,
    // j = 43
    0x1.94e01f8c78672p-3, -0x1.0d6dfd1c8d18cp-4, 0x1.56a29b70d66e8p-6,
    -0x1.a25d31dd359b2p-8, 0x1.ec5fef81b3520p-10, -0x1.1828c3069d334p-11,
    0x1.35186e822ae30p-13, -0x1.4b5d038e6f7a4p-15, 0x1.59d7c079dff38p-17,
    -0x1.6000329e6725fp-19,
    // j = 44
    0x1.8c9eb68ff27d7p-3, -0x1.0305781330099p-4, 0x1.43b98bac83823p-6,
    -0x1.84e9ab30e6ab3p-8, 0x1.c2c72fd72763ep-10, -0x1.f99e41ecb0904p-12,
    0x1.131bb16125574p-13, -0x1.2312b259675c2p-15, 0x1.2bfb5b0eb91fbp-17,
    -0x1.2da329c48e885p-19,
    // j = 45
    0x1.84ae4301fe0b3p-3, -0x1.f25dbcd862de7p-5, 0x1.3222d1cec4362p-6,
    -0x1.69eec99dfa61ep-8, 0x1.9d37605d814aap-10, -0x1.c8e5724e496f5p-12,
    0x1.ea75954d1e2cap-14, -0x1.00189e77007fep-15, 0x1.04a5eceb8af1ap-17,
    -0x1.02f19c04ed86fp-19,
    // j = 46
    0x1.7d0a5e9dd5710p-3, -0x1.dfc0205709b2cp-5, 0x1.21c23afa33c47p-6,
    -0x1.512f92fca6d77p-8, 0x1.7b404aa4decc6p-10, -0x1.9d6f22275e1d3p-12,
    0x1.b5d78b2dbb7cdp-14, -0x1.c35c651db3eb6p-16, 0x1.c5b48a0188aeap-18,
    -0x1.bd5eb182226a1p-20,
    // j = 47
    0x1.75aef0b5da0b6p-3, -0x1.ce1f87d3b2cf9p-5, 0x1.127e47b315d76p-6,
    -0x1.3a75a2c38e913p-8, 0x1.5c7f215bc9262p-10, -0x1.769b5b4dc56ddp-12,
    0x1.877036f8eb87ep-14, -0x1.8e5fc4446fd2ap-16, 0x1.8b878b5aa5a4cp-18,
    -0x1.7fab78a315f78p-20,
    // j = 48
    0x1.6e9827d229d2dp-3, -0x1.bd6ae4d14b16fp-5, 0x1.043fe1a98c0cdp-6,
    -0x1.259061ba85692p-8, 0x1.409cc2ed3fefcp-10, -0x1.53dec9d089553p-12,
    0x1.5e73930484ff6p-14, -0x1.6025103c19878p-16, 0x1.595f1b5dc7671p-18,
    -0x1.4b1462864707cp-20,
    // j = 49
    0x1.67c273e9aeab4p-3, -0x1.ad9288a7ff761p-5, 0x1.ede43490f14dbp-7,
    -0x1.1254578579235p-8, 0x1.274c3a323f3e4p-10, -0x1.34bfdfc66afe1p-12,
    0x1.3a31b9f71c693p-14, -0x1.37bf18aa2a3dbp-16, 0x1.2e0dac535047fp-18,
    -0x1.1e2ce624e6508p-20,
    // j = 50
    0x1.612a8125451bdp-3, -0x1.9e8803e177224p-5, 0x1.d503e1d20090ep-7,
    -0x1.009a927223b07p-8, 0x1.104973fea3350p-10, -0x1.18d46547b4601p-12,
    0x1.1a12c4a34c34fp-14, -0x1.146359dc03d58p-16, 0x1.089499bda4d8bp-18,
    -0x1.ef88effef93a5p-21,
    // j = 51
    0x1.5acd331e82254p-3, -0x1.903e08fb40239p-5, 0x1.bdbc3f64b08f4p-7,
    -0x1.e08044f57a0f0p-9, 0x1.f6b043889a5a1p-11, -0x1.ff7ec750c6c84p-13,
    0x1.fb269916950d3p-15, -0x1.eac93ce8249a1p-17, 0x1.d038f2365f89bp-19,
    -0x1.adb8632d8fe4fp-21,
    // j = 52
    0x1.54a7a08d4bb45p-3, -0x1.82a8522b868a1p-5, 0x1.a7eddc9ee6425p-7,
    -0x1.c24b49c47a2c4p-9, 0x1.d085857a17f33p-11, -0x1.d25ebba1c4911p-13,
    0x1.c882f0238146ep-15, -0x1.b45d025fa26b4p-17, 0x1.97dd78d7353f0p-19,
    -0x1.753cab5819720p-21,
    // j = 53
    0x1.4eb70f58ed3eap-3, -0x1.75bb89d0a7de5p-5, 0x1.937c138223a87p-7,
    -0x1.a65dbc5ec39e2p-9, 0x1.adb39c1d4d4bdp-11, -0x1.a9b993c330aefp-13,
    0x1.9b74f3fe2fe52p-15, -0x1.848350f0e017bp-17, 0x1.66e0d3dad9462p-19,
    -0x1.44aeaffeb9779p-21,
    // j = 54
    0x1.48f8f10299b71p-3, -0x1.696d353f008b5p-5, 0x1.804cc15714188p-7,
    -0x1.8c84c13afb9c4p-9, 0x1.8de5f26a7e651p-11, -0x1.8511846d9fc64p-13,
    0x1.7350e39ffdc9bp-15, -0x1.5a61388c07804p-17, 0x1.3c3b6fa75dd5ep-19,
    -0x1.1ae04134abd4ap-21,
    // j = 55
    0x1.436adf606b637p-3, -0x1.5db3a1a9adabep-5, 0x1.6e480729a23b6p-7,
    -0x1.74927abeed5ebp-9, 0x1.70d12d6c71f00p-11, -0x1.63f7caf17c82dp-13,
    0x1.4f813ac4e4fddp-15, -0x1.353a38dcb5958p-17, 0x1.170cc79ce3c54p-19,
    -0x1.eda5424646001p-22,
    // j = 56
    0x1.3e0a99a0ee914p-3, -0x1.5285d2eb1ef74p-5, 0x1.5d581133378edp-7,
    -0x1.5e5d7e9899181p-9, 0x1.5632136d8cce2p-11, -0x1.460abd6b25b13p-13,
    0x1.2f839e543f108p-15, -0x1.146bc4068b7a3p-17, 0x1.ed2a9674282cfp-20,
    -0x1.af5d64fe0d83ep-22,
    // j = 57
    0x1.38d60190223f4p-3, -0x1.47db73f966cfap-5, 0x1.4d68e4602ae56p-7,
    -0x1.49c05b7d5bce0p-9, 0x1.3dcc9724290f7p-11, -0x1.2af41f3a94b4cp-13,
    0x1.12e63c6a98a27p-15, -0x1.eed2e86a74b77p-18, 0x1.b462875985461p-20,
    -0x1.797cff89b1d93p-22,
    // j = 58
    0x1.33cb19179d7f6p-3, -0x1.3dacc8d85f6c4p-5, 0x1.3e68313870541p-7,
    -0x1.36992d37bc011p-9, 0x1.276b01ef6f988p-11, -0x1.1267afc4c5926p-13,
    0x1.f28b1c3685d3ep-16, -0x1.bb73ad92e3f12p-18, 0x1.82a91ba59d055p-20,
    -0x1.4acfbabbbeba1p-22,
    // j = 59
    0x1.2ee7fff434fbap-3, -0x1.33f2a1e11bdb6p-5, 0x1.30452b8af4d67p-7,
    -0x1.24c93d356c3cdp-9, 0x1.12dd38eda872dp-11, -0x1.f843d61dd8f26p-14,
    0x1.c494d7d444cc0p-16, -0x1.8de769d306f85p-18, 0x1.570e0916e97c6p-20,
    -0x1.224fe8b170cd0p-22,
    // j = 60
    0x1.2a2af19c14930p-3, -0x1.2aa6503acda11p-5, 0x1.22f0664f3cbf9p-7,
    -0x1.1434ae05873abp-9, 0x1.fff032a0df889p-12, -0x1.cfcdea1b1f551p-14,
    0x1.9b50d0d260d9cp-16, -0x1.65778aad394d5p-18, 0x1.30c2fb3fec854p-20,
    -0x1.fe3e32b3e0748p-23,
    // j = 61
    0x1.25924350c7fadp-3, -0x1.21c19b6563795p-5, 0x1.165bb34252b2fp-7,
    -0x1.04c2306c86f28p-9, 0x1.dd29d1ae213c6p-12, -0x1.ab03532d5afd0p-14,
    0x1.7638cccf78112p-16, -0x1.41856d9082834p-18, 0x1.0f168186eeb01p-20,
    -0x1.c0ffd61bc018ap-23,
    // j = 62
    0x1.211c625924e34p-3, -0x1.193eb7b9bf564p-5, 0x1.0a7a05d3387a8p-7,
    -0x1.ecb581c2b7f7ep-10, 0x1.bd21af8e75e66p-12, -0x1.8985979e24d14p-14,
    0x1.54d6c39c0be90p-16, -0x1.218709b22a6b7p-18, 0x1.e2df91bb9687ap-21,
    -0x1.8ba1c0c22728cp-23,
    // j = 63
    0x1.1cc7d25f7330ap-3, -0x1.11183dc68a5dep-5, 0x1.fe7eb2005f880p-8,
    -0x1.d1d2d8dcf2139p-10, 0x1.9f99243709e62p-12, -0x1.6b00a15e82205p-14,
    0x1.36c2c74ab44c3p-16, -0x1.050417bb4c183p-18, 0x1.ae95ff72ab234p-21,
    -0x1.5d101c77e2942p-23,
    // j = 64
    0x1.18932bf08e154p-3, -0x1.094922737431ap-5, 0x1.e9412fa33c74bp-8,
    -0x1.b8b6382729f08p-10, 0x1.8457bbe094219p-12, -0x1.4f2981c3bec5fp-14,
    0x1.1ba135ef1c936p-16, -0x1.d727479814178p-19, 0x1.806c9118943cdp-21,
    -0x1.345efaa8e3099p-23,
    // j = 65
    0x1.147d1b190ca46p-3, -0x1.01ccafd71bfc1p-5, 0x1.d5271052870b4p-8,
    -0x1.a13ccbc448b24p-10, 0x1.6b2a8af969b1fp-12, -0x1.35bd5d9308a34p-14,
    0x1.03212a55c4eb6p-16, -0x1.a9b3f2ff4f01bp-19, 0x1.579e4780f6647p-21,
    -0x1.10c4415682b7ap-23,
    // j = 66
    0x1.10845e1dcb19ap-3, -0x1.f53cfd5c11186p-6, 0x1.c21d6f4a4921ap-8,
    -0x1.8b46c64f91e7bp-10, 0x1.53e39641d5556p-12, -0x1.1e807be458fdep-14,
    0x1.d9f64543bb50cp-17, -0x1.810db87aba946p-19, 0x1.33807c14ab9f2p-21,
    -0x1.e32520267d1e8p-24,
    // j = 67
    0x1.0ca7c44d709a0p-3, -0x1.e774e0c5f564cp-6, 0x1.b012d4ba44e8ap-8,
    -0x1.76b7161f8d626p-10, 0x1.3e594c89e72d1p-12, -0x1.093d732dfbfb2p-14,
    0x1.b1dfaa3d796c9p-17, -0x1.5ca800a2cd02ap-19, 0x1.137f264c2b375p-21,
    -0x1.ac69e76b1acc5p-24,
    // j = 68
    0x1.08e62ce8c89adp-3, -0x1.da39533524970p-6, 0x1.9ef71691a5520p-8,
    -0x1.6373226edf541p-10, 0x1.2a660fdec0456p-12, -0x1.eb88e0e8f3b82p-15,
    0x1.8d8e5975487b1p-17, -0x1.3c07763867cf7p-19, 0x1.ee335ecad1755p-22,
    -0x1.7c568d3d9207dp-24,
    // j = 69
    0x1.053e861ffc32bp-3, -0x1.cd831a6b740b8p-6, 0x1.8ebb3c41f48fbp-8,
    -0x1.51628f83aeb06p-10, 0x1.17e7cc3fe1cc5p-12, -0x1.c7d52a57299b2p-15,
    0x1.6c9ecf3439475p-17, -0x1.1ebfc456362f0p-19, 0x1.bbc07c3a36e4ep-22,
    -0x1.520e42a2598b8p-24,
    // j = 70
    0x1.01afcc22e71b8p-3, -0x1.c14b6f7f3c2f0p-6, 0x1.7f51652a46399p-8,
    -0x1.406f090aa4007p-10, 0x1.06bf9a3516c8bp-12, -0x1.a712d1a0f43f3p-15,
    0x1.4eb8a60b62415p-17, -0x1.0471a4a6defedp-19, 0x1.8ee2cfa6f2d54p-22,
    -0x1.2cd287c40f9dcp-24,
    // j = 71
    0x1.fc721085dd723p-4, -0x1.b58bf67a385f3p-6, 0x1.70acb1646e895p-8,
    -0x1.308411f33d496p-10, 0x1.eda2d7a968bddp-13, -0x1.88fcb75d0f349p-15,
    0x1.338d414b94a82p-17, -0x1.d99263e682a53p-20, 0x1.66f06f0dc183bp-22,
    -0x1.0bfec999c6fccp-24,
    // j = 72
    0x1.f5b2a049cf4c6p-4, -0x1.aa3eb6a946f7ep-6, 0x1.62c12cb5f7577p-8,
    -0x1.218ed930b23b1p-10, 0x1.d00785f2ed4fbp-13, -0x1.6d54b133d64fdp-15,
    0x1.1ad6a32debc9fp-17, -0x1.aef8ea4ac0738p-20, 0x1.4354fb1efc47ep-22,
    -0x1.de0953c659da5p-25,
    // j = 73
    0x1.ef1f8a0371197p-4, -0x1.9f5e138ccd942p-6, 0x1.5583bb6d69c7fp-8,
    -0x1.137e12d55f2b6p-10, 0x1.b47edf2093a6dp-13, -0x1.53e2c7708c502p-15,
    0x1.045668c1133cdp-17, -0x1.889448b9cc872p-20, 0x1.238eba38e4be0p-22,
    -0x1.aad1ace9fd4a3p-25,
    // j = 74
    0x1.e8b725e90fb8dp-4, -0x1.94e4c65b27fd6p-6, 0x1.48ea08fa97bd8p-8,
    -0x1.0641d50f05c2bp-10, 0x1.9adeaa139146ep-13, -0x1.3c748962b0492p-15,
    0x1.dfa9cd0f8f6dbp-18, -0x1.65f119eae7eb5p-20, 0x1.072c1c5fcd169p-22,
    -0x1.7d80b28f3041ap-25,
    // j = 75
    0x1.e277e0aabb532p-4, -0x1.8acdd807fd07ep-6, 0x1.3cea7815ecde2p-8,
    -0x1.f396f130f44b4p-11, 0x1.83006c33dba0ep-13, -0x1.26dc75b45f77dp-15,
    0x1.ba40c2da7d5afp-18, -0x1.46a944dea4bb6p-20, 0x1.db93312ca27aep-23,
    -0x1.555c9cd8d1fbbp-25,
    // j = 76
    0x1.dc603a3e77e9bp-4, -0x1.81149bc4a104bp-6, 0x1.317c144f8b419p-8,
    -0x1.dc1af883a33c8p-11, 0x1.6cc10c16255a3p-13, -0x1.12f1743bc5a27p-15,
    0x1.9818c0a1c70e3p-18, -0x1.2a625a21faedep-20, 0x1.ae1faccb689d5p-23,
    -0x1.31c3e0417791cp-25,
    // j = 77
    0x1.d66ec4c18c3efp-4, -0x1.77b4a9eed63d8p-6, 0x1.269684e327cf0p-8,
    -0x1.c5f6d67632098p-11, 0x1.58007e00db54cp-13, -0x1.008e5f210dca0p-15,
    0x1.78e225e0f291ap-18, -0x1.10cc27b46c83cp-20, 0x1.856430df00191p-23,
    -0x1.1229d781f504dp-25,
    // j = 78
    0x1.d0a2236d493eap-4, -0x1.6ea9db64452a6p-6, 0x1.1c3200b14f2f0p-8,
    -0x1.b1138bae636d6p-11, 0x1.44a17930a985bp-13, -0x1.df2332f43db90p-16,
    0x1.5c5596d37f09ep-18, -0x1.f33ef816acc00p-21, 0x1.60d9bd2d6e26cp-23,
    -0x1.ec27d1fb11cc9p-26,
    // j = 79
    0x1.caf9099dc8c46p-4, -0x1.65f04531f3666p-6, 0x1.1247434205207p-8,
    -0x1.9d5bd909c186cp-11, 0x1.328934dffaf4bp-13, -0x1.bfb96376c9a27p-16,
    0x1.42330fdc701a3p-18, -0x1.c93a2386425c7p-21, 0x1.40096f7c9928fp-23,
    -0x1.ba2e2a03422a3p-26,
    // j = 80
    0x1.c57239e943d1ap-4, -0x1.5d843497d4f3ap-6, 0x1.08cf82b79a11cp-8,
    -0x1.8abc198707c93p-11, 0x1.219f2c3353402p-13, -0x1.a2a81d24c9405p-16,
    0x1.2a41152e3a546p-18, -0x1.a3193cf6de880p-21, 0x1.228a789f79fadp-23,
    -0x1.8dabba3580677p-26,
    // j = 81
    0x1.c00c8546be50ap-4, -0x1.55622b5951f3bp-6, 0x1.ff88cd3653073p-9,
    -0x1.79221fbec8c29p-11, 0x1.11cce846e7874p-13, -0x1.87bd49da2fc4dp-16,
    0x1.144bfb1e3887ap-18, -0x1.8078004894540p-21, 0x1.080057825553ap-23,
    -0x1.65fcee6f1ed6ap-26,
    // j = 82
    0x1.bac6ca42e1bfbp-4, -0x1.4d86dc544600bp-6, 0x1.ee3ffedd01da2p-9,
    -0x1.687d168ebc146p-11, 0x1.02fdcfb107006p-13, -0x1.6ecb6c3227cadp-16,
    0x1.00254409901a2p-18, -0x1.60fd095a8a9e9p-21, 0x1.e032a0b8f4c8ep-24,
    -0x1.429282c77e9bcp-26,
    // j = 83
    0x1.b59ff441f8d00p-4, -0x1.45ef285897fc9p-6, 0x1.ddb97de2768e7p-9,
    -0x1.58bd64a54259ap-11, 0x1.ea3df5c24823bp-14, -0x1.57a92a1060ec3p-16,
    0x1.db462235c4b99p-19, -0x1.4458913267da1p-21, 0x1.b51a2f4330563p-24,
    -0x1.22eed93ed8f2ep-26,
    // j = 84
    0x1.b096face146fep-4, -0x1.3e981b3b13590p-6, 0x1.cdeae21161624p-9,
    -0x1.49d492a39eb5fp-11, 0x1.d03e19aa11379p-14, -0x1.4230e3ccf878fp-16,
    0x1.b93f4735cbb41p-19, -0x1.2a4352eaabd00p-21, 0x1.8e37530e5198cp-24,
    -0x1.06a3ad9748fe0p-26,
    // j = 85
    0x1.abaae0f07717ep-4, -0x1.377ee91ea83d4p-6, 0x1.beca6a77f4d25p-9,
    -0x1.3bb533954e213p-11, 0x1.b7dc1f5a90e3ep-14, -0x1.2e40568ee54b5p-16,
    0x1.99f1d98859287p-19, -0x1.127d933a1316bp-21, 0x1.6b188ff9be726p-24,
    -0x1.daa0337508d1ep-27,
    // j = 86
    0x1.a6dab49575b6dp-4, -0x1.30a0ebefa7ff4p-6, 0x1.b04ef16d7ef9bp-9,
    -0x1.2e52cf81e3f52p-11, 0x1.a0faa96f4a848p-14, -0x1.1bb8488e4b686p-16,
    0x1.7d2054ab8cad5p-19, -0x1.f99c8c377dfe7p-22, 0x1.4b5933b22032bp-24,
    -0x1.ad3dbe39da829p-27,
    // j = 87
    0x1.a2258dfa0e771p-4, -0x1.29fba10cf878fp-6, 0x1.a26fe18d96552p-9,
    -0x1.21a1cfe50641bp-11, 0x1.8b7eaf241d3d3p-14, -0x1.0a7c3e1fb81b2p-16,
    0x1.62931cb54a589p-19, -0x1.d2049d76d3a35p-22, 0x1.2e9fcd7433fc9p-24,
    -0x1.8489d6945c386p-27,
    // j = 88
    0x1.9d8a8f2284f2cp-4, -0x1.238ca71b93fc3p-6, 0x1.95252b932efe3p-9,
    -0x1.15976ddda3ca1p-11, 0x1.774f4826dc857p-14, -0x1.f4e46d179e3b7p-17,
    0x1.4a17e19bfd308p-19, -0x1.add7ac9ca5751p-22, 0x1.149cd7825b7fep-24,
    -0x1.60001e7bc4974p-27,
    // j = 89
    0x1.9908e359616dfp-4, -0x1.1d51bc00fe192p-6, 0x1.88673d00025f7p-9,
    -0x1.0a29a1ea5ee56p-11, 0x1.64557d616686fp-14, -0x1.d704dfaa2928cp-17,
    0x1.338113e0e9b0cp-19, -0x1.8cc36de826400p-22, 0x1.fa131757f183bp-25,
    -0x1.3f2bc4ce3b2dep-27,
    // j = 90
    0x1.949fbeb63d761p-4, -0x1.1748bb019ff2dp-6, 0x1.7c2ef77e9114dp-9,
    -0x1.fe9e2a1afd5bep-12, 0x1.527c1e396f03bp-14, -0x1.bb2e614fa9888p-17,
    0x1.1ea5688f28a7ap-19, -0x1.6e7df03a03509p-22, 0x1.cf4dba65e52f8p-25,
    -0x1.21a596829da49p-27,
    // j = 91
    0x1.904e5dabd3f12p-4, -0x1.116f9b0042596p-6, 0x1.7075a8eeb340fp-9,
    -0x1.e9fe266d26ddep-12, 0x1.41af99d199f3dp-14, -0x1.a1392f8e65f54p-17,
    0x1.0b5f6ac3e4fa2p-19, -0x1.52c4b491037c9p-22, 0x1.a879264cc7f90p-25,
    -0x1.0712509f7b277p-27,
    // j = 92
    0x1.8c14049cd551ep-4, -0x1.0bc46cdc18fe6p-6, 0x1.6535040e2c85ap-9,
    -0x1.d662fda6d50f5p-12, 0x1.31dddbe43629fp-14, -0x1.8900e0bd28f2ep-17,
    0x1.f31a325aba48fp-20, -0x1.395be06d40841p-22, 0x1.8530fded6c58ep-25,
    -0x1.de425425091ebp-28,
    // j = 93
    0x1.87efff770a69ap-4, -0x1.064559eb0983ep-6, 0x1.5a6719b012c15p-9,
    -0x1.c3bd8ad9fb3b7p-12, 0x1.22f62cdb23824p-14, -0x1.7264156094e90p-17,
    0x1.d21f1c3f46bf2p-20, -0x1.220d87ceb25c4p-22, 0x1.651b97375c890p-25,
    -0x1.b3151b94f3982p-28,
    // j = 94
    0x1.83e1a154593d6p-4, -0x1.00f0a28e0b70dp-6, 0x1.500652770df53p-9,
    -0x1.b1ffaa6f881fcp-12, 0x1.14e914d25fde0p-14, -0x1.5d443153c4159p-17,
    0x1.b395621252838p-20, -0x1.0ca90bf08d9b9p-22, 0x1.47e8c4481437cp-25,
    -0x1.8c1dfd170ad08p-28,
    // j = 95
    0x1.7fe8442147739p-4, -0x1.f78939bb5783cp-7, 0x1.460d69078ffa5p-9,
    -0x1.a11c27027bae9p-12, 0x1.07a8413b82ec1p-14, -0x1.49851be84467dp-17,
    0x1.9749e06d58964p-20, -0x1.f20518820c052p-23, 0x1.2d50c1e69d53bp-25,
    -0x1.68ec3dc52e230p-28,
    // j = 96
    0x1.7c0348489d721p-4, -0x1.ed7f66d9d09fep-7, 0x1.3c7764a81f462p-9,
    -0x1.9106a7cd79e3bp-12, 0x1.f64cd9c07b6b2p-15, -0x1.370d0641775e1p-17,
    0x1.7d0e03edae95dp-20, -0x1.cde4cecce3438p-23, 0x1.151346a02119cp-25,
    -0x1.491bb0cc0b77cp-28,
  ]
}
