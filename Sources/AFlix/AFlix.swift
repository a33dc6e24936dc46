// The umbrella module: `import AFlix` brings every AFlix layer.
@_exported import AFlixCluster
@_exported import AFlixData
@_exported import AFlixLinalg
@_exported import AFlixOptimize
@_exported import AFlixRecommend
@_exported import AFlixSynth
