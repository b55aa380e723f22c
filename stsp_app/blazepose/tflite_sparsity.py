"""Densify a TFLite sparse tensor (the format DENSIFY operators read at run time).

TFLite stores a sparse tensor as a tree of levels, one per dimension in ``traversal_order``: the original
dimensions first (permuted), then optional block dimensions (``block_map[b]`` names the original dimension
that block dimension ``b`` subdivides; an original dimension that is blocked holds the number of blocks).
Each level has ``dim_metadata``:

- DENSE with ``dense_size``: every coordinate 0..dense_size-1 is present; a child's position is
  ``parent_position * dense_size + coordinate``;
- SPARSE_CSR with ``array_segments`` and ``array_indices``: the children of the node at ``parent_position``
  are the entries ``array_segments[p] .. array_segments[p+1]-1``; their coordinates are ``array_indices[i]``
  and their positions are ``i``.

The stored values are the leaves in traversal order. Missing entries are zero.
"""

from __future__ import annotations

import numpy as np

_DENSE, _SPARSE_CSR = 0, 1


class SparseTensorError(ValueError):
    """The sparsity parameters are inconsistent with the tensor's shape or values."""


def _index_vector(kind: int, table) -> np.ndarray:
    """A SparseIndexVector union (Int32Vector=1, Uint16Vector=2, Uint8Vector=3) as an int64 array."""
    import tflite

    vector_types = {1: tflite.Int32Vector, 2: tflite.Uint16Vector, 3: tflite.Uint8Vector}
    if kind not in vector_types or table is None:
        raise SparseTensorError(f"unsupported sparse index vector type {kind}")
    vector = vector_types[kind]()
    vector.Init(table.Bytes, table.Pos)
    return vector.ValuesAsNumpy().astype(np.int64) if vector.ValuesLength() else np.zeros(0, np.int64)


def _expand_csr(parent_positions: np.ndarray, segments: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each parent (in order) the indices of its children: returns (child_entry_index, parent_row)."""
    starts = segments[parent_positions]
    counts = segments[parent_positions + 1] - starts
    if np.any(counts < 0):
        raise SparseTensorError("array_segments is not non-decreasing")
    parent_row = np.repeat(np.arange(len(parent_positions)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offsets, parent_row


def densify(values: np.ndarray, dense_shape: tuple[int, ...], sparsity) -> np.ndarray:
    """The dense array of ``dense_shape`` described by ``values`` and a ``tflite.SparsityParameters`` table."""
    rank = len(dense_shape)
    traversal = [int(d) for d in sparsity.TraversalOrderAsNumpy()] if sparsity.TraversalOrderLength() else []
    block_map = [int(d) for d in sparsity.BlockMapAsNumpy()] if sparsity.BlockMapLength() else []
    levels = [sparsity.DimMetadata(i) for i in range(sparsity.DimMetadataLength())]
    if sorted(traversal) != list(range(rank + len(block_map))) or len(levels) != len(traversal):
        raise SparseTensorError(f"traversal_order {traversal} / {len(levels)} levels do not fit rank {rank}")
    if sorted(traversal[:rank]) != list(range(rank)):
        raise SparseTensorError("block dimensions must be traversed after the original dimensions")

    block_sizes = [0] * len(block_map)
    for level, dim in enumerate(traversal):
        if dim >= rank:
            if levels[level].Format() != _DENSE:
                raise SparseTensorError("a block dimension must be DENSE")
            block_sizes[dim - rank] = levels[level].DenseSize()

    # Walk the levels breadth-first, keeping the leaves' order (= the order of the stored values).
    positions = np.zeros(1, np.int64)
    coordinates: list[np.ndarray] = []
    for level, dim in enumerate(traversal):
        metadata = levels[level]
        if metadata.Format() == _DENSE:
            size = metadata.DenseSize()
            child = np.arange(size, dtype=np.int64)
            coordinates = [np.repeat(c, size) for c in coordinates]
            coordinates.append(np.tile(child, len(positions)))
            positions = (positions[:, None] * size + child[None, :]).reshape(-1)
        elif metadata.Format() == _SPARSE_CSR:
            segments = _index_vector(metadata.ArraySegmentsType(), metadata.ArraySegments())
            indices = _index_vector(metadata.ArrayIndicesType(), metadata.ArrayIndices())
            if len(positions) and positions.max() + 1 >= len(segments):
                raise SparseTensorError(f"level {level}: array_segments too short")
            entries, parent_row = _expand_csr(positions, segments)
            coordinates = [c[parent_row] for c in coordinates]
            coordinates.append(indices[entries])
            positions = entries
        else:
            raise SparseTensorError(f"level {level}: unknown dimension format {metadata.Format()}")

    if len(positions) != values.size:
        raise SparseTensorError(f"{values.size} stored values but the sparsity tree has {len(positions)} leaves")

    original = [np.zeros(len(positions), np.int64) for _ in range(rank)]
    for level, dim in enumerate(traversal):
        if dim < rank:
            original[dim] = coordinates[level]
    for level, dim in enumerate(traversal):
        if dim >= rank:
            block = dim - rank
            original[block_map[block]] = original[block_map[block]] * block_sizes[block] + coordinates[level]

    for dim, size in enumerate(dense_shape):
        if len(original[dim]) and (original[dim].min() < 0 or original[dim].max() >= size):
            raise SparseTensorError(f"dimension {dim}: index out of range 0..{size - 1}")
    dense = np.zeros(dense_shape, dtype=values.dtype)
    dense[tuple(original)] = values
    return dense
