//! The NumPy `.npy` format for a scaled feature matrix: every value exactly
//! as computed, which `numpy.load` reads directly, and read back for
//! `reelmeans cluster --matrix`.

use ndarray::Array2;

/// The matrix as a NumPy `.npy` file (format 1.0, little-endian f32, C
/// order): every value exactly as computed, which text with a fixed number of
/// digits does not promise, and what `numpy.load` reads directly.
pub fn matrix_npy(matrix: &Array2<f32>) -> Vec<u8> {
    let (rows, cols) = matrix.dim();
    let mut header =
        format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}");
    // Magic (6) + version (2) + length (2) + header, padded to 64 bytes, ending in a newline.
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + rows * cols * 4);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for x in matrix.iter() {
        out.extend_from_slice(&x.to_le_bytes());
    }
    out
}

/// Why a `.npy` file cannot be read as a 2-D float32 matrix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct NpyError(String);

/// Reads a 2-D little-endian f32 `.npy` file (what [`matrix_npy`] and
/// `numpy.save` of a float32 array write).
pub fn read_npy(bytes: &[u8]) -> Result<Array2<f32>, NpyError> {
    read_npy_text(bytes).map_err(NpyError)
}

fn read_npy_text(bytes: &[u8]) -> Result<Array2<f32>, String> {
    let rest = bytes
        .strip_prefix(b"\x93NUMPY")
        .ok_or("not a .npy file (it does not start with \\x93NUMPY)")?;
    let (major, rest) = rest.split_at_checked(2).ok_or("a .npy file cut short")?;
    let (length, rest) = match major[0] {
        1 => rest
            .split_at_checked(2)
            .map(|(l, r)| (usize::from(u16::from_le_bytes([l[0], l[1]])), r)),
        2 | 3 => rest
            .split_at_checked(4)
            .map(|(l, r)| (u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize, r)),
        v => return Err(format!(".npy format version {v} is not supported")),
    }
    .ok_or("a .npy file cut short")?;
    let (header, data) = rest
        .split_at_checked(length)
        .ok_or("a .npy file cut short in its header")?;
    let header = std::str::from_utf8(header).map_err(|_| "a .npy header that is not text")?;
    let squeezed: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    if !squeezed.contains("'descr':'<f4'") {
        return Err(format!(
            "the .npy file must hold little-endian float32 ('<f4'), not: {header}"
        ));
    }
    if !squeezed.contains("'fortran_order':False") {
        return Err("the .npy file must be in C (row-major) order".into());
    }
    let shape = squeezed
        .split("'shape':(")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or("the .npy header has no shape")?;
    let dims: Vec<usize> = shape
        .split(',')
        .filter(|d| !d.is_empty())
        .map(|d| {
            d.parse()
                .map_err(|_| format!("a .npy shape that is not numbers: ({shape})"))
        })
        .collect::<Result<_, _>>()?;
    let [rows, cols] = dims[..] else {
        return Err(format!("the .npy array must be 2-D, not shaped ({shape})"));
    };
    let expected = rows
        .checked_mul(cols)
        .and_then(|n| n.checked_mul(4))
        .ok_or("a .npy shape too large")?;
    if data.len() != expected {
        return Err(format!(
            "the .npy file holds {} bytes of values, not the {expected} of a {rows} × {cols} float32 array",
            data.len()
        ));
    }
    let values = data
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Array2::from_shape_vec((rows, cols), values).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npy_round_trips_every_bit_and_reads_numpys_own_file() {
        let written_by_numpy = include_bytes!("../tests/fixtures/small_matrix.npy");
        let m = read_npy(written_by_numpy).unwrap();
        assert_eq!(m.dim(), (3, 2));
        let expected = [0.1f32, -2.5, 1e-30, f32::MAX, -0.0, 7.0];
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(m.as_slice().unwrap()), bits(&expected));
        assert_eq!(&matrix_npy(&m)[..], &written_by_numpy[..]);
        let tricky = Array2::from_shape_fn((5, 3), |(i, j)| 1.0 / (i * 3 + j + 1) as f32);
        assert_eq!(read_npy(&matrix_npy(&tricky)).unwrap(), tricky);
    }

    #[test]
    fn a_bad_npy_file_gets_a_clear_error() {
        let good = matrix_npy(&Array2::from_elem((2, 2), 1.0f32));
        let cut = read_npy(&good[..good.len() - 1]).unwrap_err().to_string();
        assert!(cut.contains("not the 16 of a 2 × 2 float32 array"), "{cut}");
        assert!(read_npy(b"col1,col2\n1,2\n")
            .unwrap_err()
            .to_string()
            .contains("not a .npy file"));
        assert!(read_npy(&good[..9])
            .unwrap_err()
            .to_string()
            .contains("cut short"));
        // Edits the header in place, taking the room from its padding.
        let edit = |from: &str, to: &str| {
            let text: String = good[10..].iter().map(|&b| b as char).collect();
            let padded = format!("{from}{}", " ".repeat(to.len() - from.len()));
            let mut out = good[..10].to_vec();
            out.extend(text.replacen(&padded, to, 1).bytes());
            out
        };
        assert!(read_npy(&edit("<f4", "<f8"))
            .unwrap_err()
            .to_string()
            .contains("float32"));
        let cube = read_npy(&edit("(2, 2), }", "(2, 2, 1), }"))
            .unwrap_err()
            .to_string();
        assert!(cube.contains("2-D"), "{cube}");
        let huge = edit("(2, 2), }", "(99999999999999999, 99999999999), }");
        assert!(read_npy(&huge)
            .unwrap_err()
            .to_string()
            .contains("too large"));
    }
}
