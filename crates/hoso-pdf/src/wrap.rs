//! Greedy line breaking by measured width.

/// Combining marks stay with the letter before them when a word is cut.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Splits `text` into lines no wider than `width` (as `measure` says).
/// Words are separated by spaces, `\n` forces a break; a word wider than a
/// whole line is cut between characters rather than overflow the margin.
/// Always returns at least one (possibly empty) line.
pub fn wrap(text: &str, width: f32, measure: impl Fn(&str) -> f32) -> Vec<String> {
    wrap_indented(text, width, width, measure)
}

/// Like [`wrap`], but the very first line is only `first_width` wide
/// (a first-line indent, or a label before the text).
pub fn wrap_indented(text: &str, first_width: f32, width: f32, measure: impl Fn(&str) -> f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let fits = |s: &str, lines: &Vec<String>| measure(s) <= if lines.is_empty() { first_width } else { width } + 1e-3;
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            if line.is_empty() {
                if fits(word, &lines) {
                    line.push_str(word);
                    continue;
                }
            } else {
                let candidate = format!("{line} {word}");
                if fits(&candidate, &lines) {
                    line = candidate;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word;
            while !fits(rest, &lines) {
                let cut = longest_fitting_prefix(rest, &|s: &str| fits(s, &lines));
                if cut == rest.len() {
                    break; // a single character wider than the line: nothing to cut
                }
                lines.push(rest[..cut].to_string());
                rest = &rest[cut..];
            }
            line.push_str(rest);
        }
        lines.push(line);
    }
    lines
}

/// Byte length of the longest prefix of `word` that fits; at least one
/// character (with its marks) so that progress is guaranteed.
fn longest_fitting_prefix(word: &str, fits: &impl Fn(&str) -> bool) -> usize {
    let boundaries: Vec<usize> =
        word.char_indices().skip(1).filter(|&(_, c)| !is_combining(c)).map(|(i, _)| i).chain([word.len()]).collect();
    let mut best = boundaries[0];
    for &b in &boundaries {
        if fits(&word[..b]) {
            best = b;
        } else {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::{Font, Style};

    // Every character one unit wide: easy to reason about.
    fn chars(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn greedy_by_width() {
        assert_eq!(wrap("aa bb cc dd", 5.0, chars), ["aa bb", "cc dd"]);
        assert_eq!(wrap("aa bb cc dd", 4.9, chars), ["aa", "bb", "cc", "dd"]);
        assert_eq!(wrap("  aa   bb ", 10.0, chars), ["aa bb"]);
        assert_eq!(wrap("", 10.0, chars), [""]);
        assert_eq!(wrap("a\n\nb", 10.0, chars), ["a", "", "b"]);
    }

    #[test]
    fn first_line_can_be_narrower() {
        assert_eq!(wrap_indented("aa bb cc dd", 2.0, 5.0, chars), ["aa", "bb cc", "dd"]);
        assert_eq!(wrap_indented("abcdefg", 2.0, 5.0, chars), ["ab", "cdefg"]);
    }

    #[test]
    fn long_words_are_cut_never_overflow() {
        assert_eq!(wrap("x abcdefghij y", 4.0, chars), ["x", "abcd", "efgh", "ij y"]);
        // Narrower than one character: one character a line, still progress.
        assert_eq!(wrap("abc", 0.5, chars), ["a", "b", "c"]);
        // Combining marks stay on their letter.
        let nfd = "e\u{0302}\u{0303}e\u{0302}\u{0303}";
        assert_eq!(
            wrap(nfd, 1.0, |s: &str| s.chars().filter(|&c| !is_combining(c)).count() as f32),
            ["e\u{0302}\u{0303}", "e\u{0302}\u{0303}"]
        );
    }

    #[test]
    fn vietnamese_by_glyph_advances() {
        let font = Font::new(Style::Regular);
        let measure = |s: &str| font.width(s, 13.0);
        let text = "Thôn Đông Hưng, xã Hòa Bình, huyện Nghĩa Hành, tỉnh Quảng Ngãi, Việt Nam";
        let lines = wrap(text, 150.0, measure);
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(measure(l) <= 150.0, "{l} is {} wide", measure(l));
        }
        // Nothing lost, nothing reordered.
        assert_eq!(lines.join(" "), text);
        // Greedy: the next word would not have fitted.
        for pair in lines.windows(2) {
            let next = pair[1].split(' ').next().unwrap();
            assert!(measure(&format!("{} {next}", pair[0])) > 150.0);
        }
        // Wide capitals measure wider than narrow letters of the same count.
        assert!(measure("ỄỄỄỄ") > measure("iiii") * 2.0);
    }
}
