;; The gate path's elementwise kernels in WebAssembly SIMD (f32x4), run on the memory of
;; tfjs-backend-wasm itself: every pointer is a byte offset of a tensor in that heap. Each loop
;; covers the first n - n % 4 entries; the caller finishes the last few in JavaScript.
;; Assembled into simd/binary.ts by scripts/build-simd-kernels.mjs (`pnpm build:simd`).
(module
  (import "env" "memory" (memory 0))

  ;; ACC (two float64 lanes) += the four lanes of V. The lanes are paired first, off the
  ;; loop-carried chain: one dependent add per iteration instead of two.
  ;; @template accumulate $ACC $V
        (local.set $ACC
          (f64x2.add
            (local.get $ACC)
            (f64x2.add
              (f64x2.promote_low_f32x4 (local.get $V))
              (f64x2.promote_low_f32x4
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $V) (local.get $V))))))
  ;; @end

  (func $total (param $acc v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))

  ;; Bytes covered by the vector loops: 4 * (n - n % 4).
  (func $vectorBytes (param $n i32) (result i32)
    (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))

  ;; z = clamp(x + scale * eps + shift, 0, 1)
  (func (export "clampedNoise")
    (param $x i32) (param $eps i32) (param $z i32) (param $n i32) (param $scale f32) (param $shift f32)
    (local $i i32) (local $end i32) (local $s v128) (local $h v128)
    (local.set $end (call $vectorBytes (local.get $n)))
    (local.set $s (f32x4.splat (local.get $scale)))
    (local.set $h (f32x4.splat (local.get $shift)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store
          (i32.add (local.get $z) (local.get $i))
          (f32x4.pmin
            (f32x4.splat (f32.const 1))
            (f32x4.pmax
              (f32x4.splat (f32.const 0))
              (f32x4.add
                (f32x4.add
                  (v128.load (i32.add (local.get $x) (local.get $i)))
                  (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $eps) (local.get $i)))))
                (local.get $h)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; dx = dy where 0 < z < 1, else 0
  (func (export "insideUnitGrad") (param $dy i32) (param $z i32) (param $dx i32) (param $n i32)
    (local $i i32) (local $end i32) (local $v v128)
    (local.set $end (call $vectorBytes (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $z) (local.get $i))))
        (v128.store
          (i32.add (local.get $dx) (local.get $i))
          (v128.and
            (v128.load (i32.add (local.get $dy) (local.get $i)))
            (v128.and
              (f32x4.gt (local.get $v) (f32x4.splat (f32.const 0)))
              (f32x4.lt (local.get $v) (f32x4.splat (f32.const 1))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; out = a * b * scale
  (func (export "scaledProduct") (param $a i32) (param $b i32) (param $out i32) (param $n i32) (param $scale f32)
    (local $i i32) (local $end i32) (local $s v128)
    (local.set $end (call $vectorBytes (local.get $n)))
    (local.set $s (f32x4.splat (local.get $scale)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store
          (i32.add (local.get $out) (local.get $i))
          (f32x4.mul
            (f32x4.mul
              (v128.load (i32.add (local.get $a) (local.get $i)))
              (v128.load (i32.add (local.get $b) (local.get $i))))
            (local.get $s)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; sum of x^2, accumulated in float64
  (func (export "sumSquares") (param $x i32) (param $n i32) (result f64)
    (local $i i32) (local $end i32) (local $v v128) (local $acc v128)
    (local.set $end (call $vectorBytes (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $v (f32x4.mul (local.get $v) (local.get $v)))
        ;; @use accumulate $acc $v
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (call $total (local.get $acc)))

  ;; Phi and phi by table lookup. normal-table.ts builds the table once per heap, in memory that
  ;; tfjs-backend-wasm's allocator gave it (kernels.ts), and stores its byte offset in this
  ;; global. Node k sits at a_k = k h, h = 1/128, k = 0 ... 1024 (a = 8); a row is four float32,
  ;; [Q(a_k), c1, c2, c3], with Q(a) = Phi(-a) = 1 - Phi(a) and
  ;;   Q(a_k + f h) = Q(a_k) - f (c1 + f (c2 + f c3)),
  ;; the cubic Taylor polynomial of Q at the node nearest a (|f| <= 1/2), and so
  ;;   h phi(a_k + f h) = c1 + f (2 c2 + 3 f c3),
  ;; its derivative in f. Row 1025 is zeros: beyond a = 8 + h / 2, Q and phi are 0.
  ;; Phi(t) = Q(|t|) where t < 0 and 1 - Q(|t|) where t >= 0, so that a lower tail keeps its
  ;; relative accuracy in float32. The kernels take t in units of h (scale and shifts times 128),
  ;; which makes t the table position and h phi times scale / h the slope, scale times phi.
  (global $normalTable (export "normalTable") (mut i32) (i32.const 0))
  ;; The loops' constants are mutable globals, so that V8 does not see constants: a constant
  ;; vector it rebuilds from an immediate inside the loop at every use (two to four instructions),
  ;; a global's value it loads once and only broadcasts there.
  (global $lastRow (mut f32) (f32.const 1025))
  (global $magic (mut f32) (f32.const 12582912))
  (global $one (mut f32) (f32.const 1))
  (global $signBit (mut i32) (i32.const 0x80000000))

  ;; ($zero is never set: a local starts at 0)
  ;; @template tableLocals
    (local $p v128) (local $m v128) (local $f v128) (local $off v128) (local $v v128) (local $u v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $lo01 v128) (local $lo23 v128) (local $hi01 v128) (local $hi23 v128)
    (local $cq v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $lastRow v128) (local $zero v128) (local $magic v128) (local $rowBase v128) (local $one v128) (local $sign v128)
  ;; @end
  ;; The node index k rounds in the mantissa of q + 1.5 * 2^23, whose bits are then 0x4B400000 + k:
  ;; (bits << 4) + rowBase is row k's address, rowBase = table - (0x4B400000 << 4) mod 2^32.
  ;; @template tableConstants
    (local.set $lastRow (f32x4.splat (global.get $lastRow)))
    (local.set $magic (f32x4.splat (global.get $magic)))
    (local.set $one (f32x4.splat (global.get $one)))
    (local.set $sign (i32x4.splat (global.get $signBit)))
    (local.set $rowBase (i32x4.splat (i32.sub (global.get $normalTable) (i32.const 0xB4000000))))
  ;; @end
  ;; Q = Q(A) and PDF = h phi(A) for A = a / h >= 0. A NaN A reads row 0 (pmax(0, NaN) is 0) and
  ;; comes out NaN through f; an A beyond the table reads the zero row.
  ;; @template lookup $A $Q $PDF
        (local.set $p (f32x4.pmin (local.get $A) (local.get $lastRow)))
        (local.set $m (f32x4.add (f32x4.pmax (local.get $zero) (local.get $p)) (local.get $magic)))
        (local.set $f (f32x4.sub (local.get $p) (f32x4.sub (local.get $m) (local.get $magic))))
        (local.set $off (i32x4.add (i32x4.shl (local.get $m) (i32.const 4)) (local.get $rowBase)))
        (local.set $r0 (v128.load (i32x4.extract_lane 0 (local.get $off))))
        (local.set $r1 (v128.load (i32x4.extract_lane 1 (local.get $off))))
        (local.set $r2 (v128.load (i32x4.extract_lane 2 (local.get $off))))
        (local.set $r3 (v128.load (i32x4.extract_lane 3 (local.get $off))))
        ;; the 4 x 4 transpose: rows of lanes 0-3 to the columns Q, c1, c2, c3
        (local.set $lo01 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $lo23 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $hi01 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $hi23 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $cq (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo01) (local.get $lo23)))
        (local.set $c1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $lo01) (local.get $lo23)))
        (local.set $c2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $hi01) (local.get $hi23)))
        (local.set $c3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $hi01) (local.get $hi23)))
        (local.set $v (f32x4.mul (local.get $f) (local.get $c3)))
        (local.set $u (f32x4.add (local.get $c2) (local.get $v)))
        (local.set $Q
          (f32x4.sub
            (local.get $cq)
            (f32x4.mul (local.get $f) (f32x4.add (local.get $c1) (f32x4.mul (local.get $f) (local.get $u))))))
        (local.set $PDF
          (f32x4.add
            (local.get $c1)
            (f32x4.mul (local.get $f) (f32x4.add (f32x4.add (local.get $u) (local.get $u)) (local.get $v)))))
  ;; @end
  ;; Phi(T) from Q = Q(|T|): Q where T < 0 (T's sign bit spread over the lane), else 1 - Q
  ;; @template cdf $T $Q
            (v128.bitselect
              (local.get $Q)
              (f32x4.sub (local.get $one) (local.get $Q))
              (i32x4.shr_s (local.get $T) (i32.const 31)))
  ;; @end

  ;; One pass of direction * sum Phi(t), t = scale * x + shift (direction +-1), with slope =
  ;; direction * scale * phi(t), added to what slope holds when `addToSlope` (the second pass of
  ;; sumCdfBetween). The sum is the count of t >= 0 plus the float64 sum of the signed tails,
  ;; Phi(t) - [t >= 0] = Q(|t|) or -Q(|t|): Phi near 1 is never rounded to float32, so the
  ;; difference of two such sums (sumCdfBetween) keeps the accuracy of the tails.
  (func $cdfPass
    (param $x i32) (param $slope i32) (param $n i32) (param $scale f32) (param $shift f32)
    (param $direction f32) (param $addToSlope i32) (result f64)
    (local $i i32) (local $end i32) (local $acc v128) (local $negatives v128) (local $term v128)
    (local $vscale v128) (local $vshift v128) (local $vslope v128)
    (local $t v128) (local $s v128) (local $q v128) (local $pdf v128) (local $neg v128) (local $tail v128)
    ;; @use tableLocals
    ;; @use tableConstants
    (local.set $vscale (f32x4.splat (f32.mul (local.get $scale) (f32.const 128))))
    (local.set $vshift (f32x4.splat (f32.mul (local.get $shift) (f32.const 128))))
    (local.set $vslope (f32x4.splat (f32.mul (f32.mul (local.get $direction) (local.get $scale)) (f32.const 128))))
    (local.set $end (call $vectorBytes (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $t
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $vscale))
            (local.get $vshift)))
        (local.set $s (v128.andnot (local.get $t) (local.get $sign)))
        ;; @use lookup $s $q $pdf
        ;; the first pass writes the slope without reading the fresh (uninitialised) output
        (local.set $term (f32x4.mul (local.get $pdf) (local.get $vslope)))
        (if (local.get $addToSlope)
          (then
            (local.set $term
              (f32x4.add (v128.load (i32.add (local.get $slope) (local.get $i))) (local.get $term)))))
        (v128.store (i32.add (local.get $slope) (local.get $i)) (local.get $term))
        ;; all ones where t < 0: counted (as -1), and the tail taken with a minus sign elsewhere
        (local.set $neg (i32x4.shr_s (local.get $t) (i32.const 31)))
        (local.set $negatives (i32x4.add (local.get $negatives) (local.get $neg)))
        (local.set $tail (v128.xor (local.get $q) (v128.andnot (local.get $sign) (local.get $neg))))
        ;; @use accumulate $acc $tail
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    ;; [t >= 0] summed: the entries covered, n - n % 4, less those with t < 0
    (f64.mul
      (f64.add
        (f64.convert_i32_s
          (i32.add
            (i32.shr_u (local.get $end) (i32.const 2))
            (i32.add
              (i32.add (i32x4.extract_lane 0 (local.get $negatives)) (i32x4.extract_lane 1 (local.get $negatives)))
              (i32.add (i32x4.extract_lane 2 (local.get $negatives)) (i32x4.extract_lane 3 (local.get $negatives))))))
        (call $total (local.get $acc)))
      (f64.promote_f32 (local.get $direction))))

  ;; sum of Phi(scale * x + shift); slope = scale * phi(scale * x + shift)
  (func (export "sumCdf")
    (param $x i32) (param $slope i32) (param $n i32) (param $scale f32) (param $shift f32) (result f64)
    (call $cdfPass (local.get $x) (local.get $slope) (local.get $n) (local.get $scale) (local.get $shift)
      (f32.const 1) (i32.const 0)))

  ;; sum of Phi(scale * x + shift) - Phi(scale * x + minusShift), and the slope of each term
  (func (export "sumCdfBetween")
    (param $x i32) (param $slope i32) (param $n i32) (param $scale f32) (param $shift f32) (param $minusShift f32)
    (result f64)
    (f64.add
      (call $cdfPass (local.get $x) (local.get $slope) (local.get $n) (local.get $scale) (local.get $shift)
        (f32.const 1) (i32.const 0))
      (call $cdfPass (local.get $x) (local.get $slope) (local.get $n) (local.get $scale) (local.get $minusShift)
        (f32.const -1) (i32.const 1))))

  ;; The two sums behind a Gaussian gate's decision in one pass, accumulated in float64:
  ;; keep = sum Phi(t) (P(z > 1/2)) and undecided = sum Phi(half - t) - Phi(-half - t) (P(0 < z < 1)),
  ;; t = scale * x, scale = 1 / sigma, half = 1 / (2 sigma), with their slopes per entry,
  ;; keepSlope = scale phi(t) and undecidedSlope = scale (phi(-half - t) - phi(half - t)).
  ;; undecided is even in t: it is evaluated at s = |t| as Phi(half - s) - Q(half + s), so that
  ;; where s > half the two lower tails keep their relative accuracy; its slope takes t's sign,
  ;; which is x's (scale > 0).
  ;; Four loops (half in table units, 128 per unit of t): where half >= 2050 (16.02 in t, sigma
  ;; below 1/32) the table ranges around t = 0 and t = +-half are apart, so each entry needs one
  ;; lookup, at min(s, |half - s|), and its other two read zeros. Otherwise, where the caller
  ;; gives `table`, a heap block of `tableRows` 32-byte rows, and n is large enough to pay for
  ;; it, one lookup per entry in a table built for the call ($decisionSumsTable); else where
  ;; half > 1024.5 (8.004 in t, sigma below 1/16) half + s is beyond the table for every s and
  ;; two lookups serve, otherwise three.
  ;; The lookup loops give the same values: the zeros they skip are the zero row's; the built
  ;; table gives the same keep and keepSlope, and undecided and its slope to float32 rounding and
  ;; the table's own error (see $decisionSumsTable).
  (func (export "decisionSums")
    (param $x i32) (param $keepSlope i32) (param $undecidedSlope i32) (param $n i32) (param $scale f32)
    (param $half f32) (param $table i32) (param $tableRows i32) (result f64 f64)
    (local $scaled f32) (local $halfScaled f32) (local $point f32) (local $lastIndex i32)
    (local.set $scaled (f32.mul (local.get $scale) (f32.const 128)))
    (local.set $halfScaled (f32.mul (local.get $half) (f32.const 128)))
    ;; the decision point, half / scale = 1/2 (see the `above` template)
    (local.set $point (f32.div (local.get $half) (local.get $scale)))
    ;; an s within the table (s <= 1024.5) leaves |half - s| and half + s beyond it (> 1024.5),
    ;; with room for the rounding of half - s
    (if (result f64 f64) (f32.ge (local.get $halfScaled) (f32.const 2050))
      (then
        (call $decisionSumsApart (local.get $x) (local.get $keepSlope) (local.get $undecidedSlope) (local.get $n)
          (local.get $scaled) (local.get $halfScaled) (local.get $point)))
      (else
        ;; the decision table's last row, zeros: beyond 1025 and half + 1026 (half < 2050 here)
        (local.set $lastIndex
          (i32.add (i32.trunc_sat_f32_u (f32.ceil (local.get $halfScaled))) (i32.const 1027)))
        ;; where the table has room, and n pays for its build: a row costs about what an entry's
        ;; three lookups do, and the table saves an entry about 40% of its three lookups, or a
        ;; sixth of its two (where half > 1024.5): n >= 2 or 6 rows
        (if (result f64 f64)
          (i32.and
            (i32.and (i32.ne (local.get $table) (i32.const 0)) (f32.ge (local.get $halfScaled) (f32.const 0)))
            (i32.and
              (i32.lt_u (i32.or (local.get $lastIndex) (i32.const 3)) (local.get $tableRows))
              (i32.ge_u
                (local.get $n)
                (i32.mul
                  (local.get $lastIndex)
                  (select (i32.const 6) (i32.const 2) (f32.gt (local.get $halfScaled) (f32.const 1024.5)))))))
          (then
            (call $decisionSumsTable (local.get $x) (local.get $keepSlope) (local.get $undecidedSlope) (local.get $n)
              (local.get $scaled) (local.get $halfScaled) (local.get $table) (local.get $lastIndex)
              (f32.convert_i32_u (local.get $lastIndex))))
          (else
            (if (result f64 f64) (f32.gt (local.get $halfScaled) (f32.const 1024.5))
              (then
                (call $decisionSumsTwo (local.get $x) (local.get $keepSlope) (local.get $undecidedSlope) (local.get $n)
                  (local.get $scaled) (local.get $halfScaled) (local.get $point)))
              (else
                (call $decisionSumsThree (local.get $x) (local.get $keepSlope) (local.get $undecidedSlope) (local.get $n)
                  (local.get $scaled) (local.get $halfScaled) (local.get $point)))))))))

  ;; above = half - s, computed as (1/2 - |x|) scale, so that its float32 rounding is relative
  ;; to above itself: half - s would carry the rounding of s = |x| scale, 2^-24 half where above
  ;; is small, which at sigma = 0.005 moved phi(above) at |above| = 4 by 1.5e-5. point =
  ;; half / scale = 1/2, computed once by the caller (V8 would move a division here into the loop).
  ;; @template aboveSetup
    (local.set $vpoint (f32x4.splat (local.get $point)))
  ;; @end
  ;; @template above
        (local.set $above
          (f32x4.mul (f32x4.sub (local.get $vpoint) (local.get $absX)) (local.get $vscale)))
  ;; @end

  ;; The loops of decisionSums where the table ranges of its lookups overlap, from the templates
  ;; below: nearKeep does keep's lookup, stores and accumulates it before the lookup at
  ;; |half - s| (fewer vectors alive at once, fewer spills), nearUndecided finishes undecided.
  ;; @template nearLocals
    (local $i i32) (local $end i32) (local $keep v128) (local $undecided v128) (local $vscale v128) (local $vhalf v128)
    (local $vpoint v128) (local $xv v128) (local $absX v128) (local $s v128) (local $above v128) (local $a1 v128) (local $a2 v128)
    (local $q0 v128) (local $pdf0 v128) (local $q1 v128) (local $pdf1 v128) (local $q2 v128) (local $pdf2 v128)
    (local $keepTerm v128) (local $undecidedTerm v128)
  ;; @end
  ;; @template nearSetup
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $vhalf (f32x4.splat (local.get $half)))
    ;; @use aboveSetup
    (local.set $end (call $vectorBytes (local.get $n)))
  ;; @end
  ;; @template nearKeep
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $absX (v128.andnot (local.get $xv) (local.get $sign)))
        (local.set $s (f32x4.mul (local.get $absX) (local.get $vscale)))
        ;; @use lookup $s $q0 $pdf0
        (v128.store (i32.add (local.get $keepSlope) (local.get $i)) (f32x4.mul (local.get $pdf0) (local.get $vscale)))
        (local.set $keepTerm
          ;; @use cdf $xv $q0
        )
        ;; @use accumulate $keep $keepTerm
        ;; @use above
        (local.set $a1 (v128.andnot (local.get $above) (local.get $sign)))
        ;; @use lookup $a1 $q1 $pdf1
  ;; @end
  ;; @template nearUndecided
        (v128.store
          (i32.add (local.get $undecidedSlope) (local.get $i))
          (v128.xor
            (f32x4.mul (f32x4.sub (local.get $pdf2) (local.get $pdf1)) (local.get $vscale))
            (v128.and (local.get $xv) (local.get $sign))))
        (local.set $undecidedTerm
          (f32x4.sub
            ;; @use cdf $above $q1
            (local.get $q2)))
        ;; @use accumulate $undecided $undecidedTerm
  ;; @end

  ;; decisionSums with three lookups per entry; scale and half in table units
  (func $decisionSumsThree
    (param $x i32) (param $keepSlope i32) (param $undecidedSlope i32) (param $n i32) (param $scale f32)
    (param $half f32) (param $point f32) (result f64 f64)
    ;; @use nearLocals
    ;; @use tableLocals
    ;; @use tableConstants
    ;; @use nearSetup
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; @use nearKeep
        (local.set $a2 (f32x4.add (local.get $vhalf) (local.get $s)))
        ;; @use lookup $a2 $q2 $pdf2
        ;; @use nearUndecided
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (call $total (local.get $keep))
    (call $total (local.get $undecided)))

  ;; decisionSums with two lookups per entry, where half + s is beyond the table for every s:
  ;; q2 and pdf2 stay 0, their initial value
  (func $decisionSumsTwo
    (param $x i32) (param $keepSlope i32) (param $undecidedSlope i32) (param $n i32) (param $scale f32)
    (param $half f32) (param $point f32) (result f64 f64)
    ;; @use nearLocals
    ;; @use tableLocals
    ;; @use tableConstants
    ;; @use nearSetup
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; @use nearKeep
        ;; @use nearUndecided
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (call $total (local.get $keep))
    (call $total (local.get $undecided)))

  ;; decisionSums with one lookup per entry, where half >= 2050 table units: at most one of s and
  ;; |half - s| is within the table, the lookup at the smaller serves it and the other reads 0,
  ;; as the lookups of $decisionSumsThree would (the same float32 operations on the same a).
  (func $decisionSumsApart
    (param $x i32) (param $keepSlope i32) (param $undecidedSlope i32) (param $n i32) (param $scale f32)
    (param $half f32) (param $point f32) (result f64 f64)
    (local $i i32) (local $end i32) (local $keep v128) (local $undecided v128)
    (local $vscale v128) (local $vnegScale v128) (local $vpoint v128) (local $xv v128)
    (local $absX v128) (local $s v128) (local $above v128) (local $a1 v128) (local $a v128) (local $q v128) (local $pdf v128)
    (local $nearZero v128) (local $nearHalf v128) (local $q0 v128) (local $q1 v128)
    (local $keepTerm v128) (local $undecidedTerm v128) (local $beyond v128)
    ;; @use tableLocals
    ;; @use tableConstants
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $vnegScale (f32x4.splat (f32.neg (local.get $scale))))
    ;; @use aboveSetup
    ;; positions that read the zero row
    (local.set $beyond (f32x4.splat (f32.const 1024.5)))
    (local.set $end (call $vectorBytes (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $absX (v128.andnot (local.get $xv) (local.get $sign)))
        (local.set $s (f32x4.mul (local.get $absX) (local.get $vscale)))
        ;; @use above
        (local.set $a1 (v128.andnot (local.get $above) (local.get $sign)))
        (local.set $a (f32x4.pmin (local.get $s) (local.get $a1)))
        ;; A vector whose four lanes are all beyond the table skips the lookup for the zeros it
        ;; would read (same values): gates that training pushed past |mu| = 1/2 + 8 sigma, often
        ;; most of them, cost no lookup; on mu spread evenly over [-0.75, 0.75] (a fifth of the
        ;; vectors skip) the branch measured no slower. A NaN lane is not beyond: it is looked up.
        (if (i32x4.all_true (f32x4.gt (local.get $a) (local.get $beyond)))
          (then
            (local.set $q (local.get $zero))
            (local.set $pdf (local.get $zero)))
          (else
            ;; @use lookup $a $q $pdf
          ))
        ;; lanes whose lookup is keep's (s < |half - s|) or undecided's; a NaN lane is in neither
        ;; mask, so that both get its NaN
        (local.set $nearZero (f32x4.lt (local.get $s) (local.get $a1)))
        (local.set $nearHalf (f32x4.ge (local.get $s) (local.get $a1)))
        (local.set $q0 (v128.andnot (local.get $q) (local.get $nearHalf)))
        (local.set $q1 (v128.andnot (local.get $q) (local.get $nearZero)))
        (v128.store
          (i32.add (local.get $keepSlope) (local.get $i))
          (f32x4.mul (v128.andnot (local.get $pdf) (local.get $nearHalf)) (local.get $vscale)))
        (v128.store
          (i32.add (local.get $undecidedSlope) (local.get $i))
          (v128.xor
            (f32x4.mul (v128.andnot (local.get $pdf) (local.get $nearZero)) (local.get $vnegScale))
            (v128.and (local.get $xv) (local.get $sign))))
        (local.set $keepTerm
          ;; @use cdf $xv $q0
        )
        (local.set $undecidedTerm
          ;; @use cdf $above $q1
        )
        ;; @use accumulate $keep $keepTerm
        ;; @use accumulate $undecided $undecidedTerm
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (call $total (local.get $keep))
    (call $total (local.get $undecided)))

  ;; decisionSums with one lookup per entry for all four outputs, where the loops above need two
  ;; or three: a table built for the call's half (sigma), $buildDecisionTable below, with one
  ;; 32-byte row per table position k of s = |x| scale (table units, as above):
  ;;   [Q(k), c1, c2, c3]   the normal table's row k (zeros beyond its last row), for keep and its
  ;;                        slope, read as the loops above read it (the same values);
  ;;   [U(k), d1, d2, d3]   the cubic Taylor polynomial of the undecided term at k,
  ;;                        U(s) = Phi(half - s) - Q(half + s), U(k + f) ~ U(k) - f (d1 + f (d2 + f d3)),
  ;;                        d_n = -U^(n)(k) / n!, the normal table's form, so that
  ;;                        -dU/ds ~ d1 + f (2 d2 + 3 f d3).
  ;; Rows run to lastIndex, an all-zero row beyond both (> 1025 and > half + 1026): there all four
  ;; outputs are 0 as the three-lookup loop reads them, and s is clamped to it (s = inf included).
  ;; A NaN s reads row 0 with f NaN, NaN out. U's Taylor terms come from the normal table at
  ;; |half - k| and half + k, which sit at one fraction of a node from its nodes: U's slope has
  ;; the normal table's error at the row and the cubic's truncation, each below
  ;; (h / 2)^3 |a^3 - 3a| / 6 relative (normal-table.ts), and U is read at s = |x| scale rounded
  ;; to float32, which moves half - s by up to 2^-24 s (`above` by 2^-24 |half - s|) and phi
  ;; there by |half - s| times that: at half - s = -6 (s = half + 6, t = 1/(2 sigma) + 6), 5e-6
  ;; at sigma 1/16, 8e-6 just above 1/32, where decision-sums.test.ts allows 1.6e-5 (measured:
  ;; half its tolerance at sigma 0.0313, against a quarter for the lookups per entry).
  ;; The caller gives the table's place (`table`, a block of tfjs's heap, decision-sums.ts). The
  ;; build costs about what an entry's three lookups do per row, 1283 rows at sigma 1/4, 2051 at
  ;; 1/16, 3077 just above 1/32 (half < 2050): 3 to 8 us, against 0.5 ms for the 235k entries
  ;; of a 784x300 layer (where the lookups per entry took 0.8, or 0.63 with two).
  ;; The 4 x 4 transpose of rows R0-R3 to the columns C0-C3 (and back)
  ;; @template transpose $R0 $R1 $R2 $R3 $C0 $C1 $C2 $C3
        (local.set $lo01 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $R0) (local.get $R1)))
        (local.set $lo23 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $R2) (local.get $R3)))
        (local.set $hi01 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $R0) (local.get $R1)))
        (local.set $hi23 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $R2) (local.get $R3)))
        (local.set $C0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo01) (local.get $lo23)))
        (local.set $C1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $lo01) (local.get $lo23)))
        (local.set $C2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $hi01) (local.get $hi23)))
        (local.set $C3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $hi01) (local.get $hi23)))
  ;; @end
  ;; VALUE and SLOPE (the polynomial's derivative, negated) of a row's cubic [C0, C1, C2, C3] at f
  ;; @template cubic $C0 $C1 $C2 $C3 $VALUE $SLOPE
        (local.set $v (f32x4.mul (local.get $f) (local.get $C3)))
        (local.set $u (f32x4.add (local.get $C2) (local.get $v)))
        (local.set $VALUE
          (f32x4.sub
            (local.get $C0)
            (f32x4.mul (local.get $f) (f32x4.add (local.get $C1) (f32x4.mul (local.get $f) (local.get $u))))))
        (local.set $SLOPE
          (f32x4.add
            (local.get $C1)
            (f32x4.mul (local.get $f) (f32x4.add (f32x4.add (local.get $u) (local.get $u)) (local.get $v)))))
  ;; @end

  (func $decisionSumsTable
    (param $x i32) (param $keepSlope i32) (param $undecidedSlope i32) (param $n i32) (param $scale f32)
    (param $half f32) (param $table i32) (param $lastIndex i32) (param $last f32) (result f64 f64)
    (local $i i32) (local $end i32) (local $at0 i32) (local $at1 i32) (local $at2 i32) (local $at3 i32)
    (local $keep v128) (local $undecided v128) (local $vscale v128) (local $vnegScale v128)
    (local $lastCell v128) (local $cellBase v128) (local $xv v128) (local $q v128) (local $pdf v128)
    (local $keepTerm v128) (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    ;; @use tableLocals
    ;; @use tableConstants
    (call $buildDecisionTable (local.get $table) (local.get $half) (local.get $lastIndex))
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $vnegScale (f32x4.splat (f32.neg (local.get $scale))))
    ;; $last, lastIndex as a float, is a parameter: converted here, V8 converted it again in the
    ;; loop at every use, into a register whose last write, late in the loop, the conversion waits
    ;; for (a false dependency that chained the iterations: 235k entries took 1.6 times as long)
    (local.set $lastCell (f32x4.splat (local.get $last)))
    ;; as in `lookup`, with 32-byte rows: (bits << 5) + cellBase is row k's address,
    ;; cellBase = table - (0x4B400000 << 5) mod 2^32
    (local.set $cellBase (i32x4.splat (i32.sub (local.get $table) (i32.const 0x68000000))))
    (local.set $end (call $vectorBytes (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $p
          (f32x4.pmin
            (f32x4.mul (v128.andnot (local.get $xv) (local.get $sign)) (local.get $vscale))
            (local.get $lastCell)))
        (local.set $m (f32x4.add (f32x4.pmax (local.get $zero) (local.get $p)) (local.get $magic)))
        (local.set $f (f32x4.sub (local.get $p) (f32x4.sub (local.get $m) (local.get $magic))))
        (local.set $off (i32x4.add (i32x4.shl (local.get $m) (i32.const 5)) (local.get $cellBase)))
        (local.set $at0 (i32x4.extract_lane 0 (local.get $off)))
        (local.set $at1 (i32x4.extract_lane 1 (local.get $off)))
        (local.set $at2 (i32x4.extract_lane 2 (local.get $off)))
        (local.set $at3 (i32x4.extract_lane 3 (local.get $off)))
        ;; keep first, then undecided from the rows' second halves (fewer vectors alive at once)
        (local.set $r0 (v128.load (local.get $at0)))
        (local.set $r1 (v128.load (local.get $at1)))
        (local.set $r2 (v128.load (local.get $at2)))
        (local.set $r3 (v128.load (local.get $at3)))
        ;; @use transpose $r0 $r1 $r2 $r3 $cq $c1 $c2 $c3
        ;; @use cubic $cq $c1 $c2 $c3 $q $pdf
        (v128.store (i32.add (local.get $keepSlope) (local.get $i)) (f32x4.mul (local.get $pdf) (local.get $vscale)))
        (local.set $keepTerm
          ;; @use cdf $xv $q
        )
        ;; @use accumulate $keep $keepTerm
        (local.set $r0 (v128.load offset=16 (local.get $at0)))
        (local.set $r1 (v128.load offset=16 (local.get $at1)))
        (local.set $r2 (v128.load offset=16 (local.get $at2)))
        (local.set $r3 (v128.load offset=16 (local.get $at3)))
        ;; @use transpose $r0 $r1 $r2 $r3 $d0 $d1 $d2 $d3
        ;; @use cubic $d0 $d1 $d2 $d3 $q $pdf
        (v128.store
          (i32.add (local.get $undecidedSlope) (local.get $i))
          (v128.xor
            (f32x4.mul (local.get $pdf) (local.get $vnegScale))
            (v128.and (local.get $xv) (local.get $sign))))
        ;; @use accumulate $undecided $q
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (call $total (local.get $keep))
    (call $total (local.get $undecided)))

  ;; Rows 0 ... lastIndex of the decision table at `table` for half (table units); the U halves
  ;; four rows at a time, to row lastIndex | 3 (the caller checked the room). In table units
  ;; (h = 1/128, PDF = h phi as `lookup` gives it, P1 = half - k and P2 = half + k, phi even):
  ;;   dU/ds = PDF2 - PDF1,  d2U/ds2 = -h^2 (P1 PDF1 + P2 PDF2),
  ;;   d3U/ds3 = h^4 ((P2^2 - 1/h^2) PDF2 - (P1^2 - 1/h^2) PDF1).
  (func $buildDecisionTable (param $table i32) (param $half f32) (param $lastIndex i32)
    (local $row i32) (local $at i32) (local $end i32)
    (local $k v128) (local $four v128) (local $vhalf v128) (local $unit2 v128) (local $h2 v128) (local $h4 v128)
    (local $p1 v128) (local $p2 v128) (local $a1 v128) (local $q1 v128) (local $pdf1 v128) (local $q2 v128) (local $pdf2 v128)
    (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    ;; @use tableLocals
    ;; @use tableConstants
    ;; keep halves: the normal table's rows 0 ... 1025, then zeros (lastIndex > 1025)
    (loop $copy
      (v128.store
        (i32.add (local.get $table) (i32.shl (local.get $row) (i32.const 5)))
        (v128.load (i32.add (global.get $normalTable) (i32.shl (local.get $row) (i32.const 4)))))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br_if $copy (i32.le_u (local.get $row) (i32.const 1025))))
    (loop $clear
      (v128.store (i32.add (local.get $table) (i32.shl (local.get $row) (i32.const 5))) (local.get $zero))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br_if $clear (i32.le_u (local.get $row) (local.get $lastIndex))))
    ;; U halves, rows k ... k + 3
    (local.set $k (v128.const f32x4 0 1 2 3))
    (local.set $four (f32x4.splat (f32.const 4)))
    (local.set $vhalf (f32x4.splat (local.get $half)))
    (local.set $unit2 (f32x4.splat (f32.const 16384)))
    ;; h^2 / 2 and h^4 / 6
    (local.set $h2 (f32x4.splat (f32.const 0x1p-15)))
    (local.set $h4 (f32x4.splat (f32.const 6.2088173e-10)))
    (local.set $at (i32.add (local.get $table) (i32.const 16)))
    (local.set $end (i32.add (local.get $at) (i32.shl (local.get $lastIndex) (i32.const 5))))
    (loop $rows
      (local.set $p1 (f32x4.sub (local.get $vhalf) (local.get $k)))
      (local.set $p2 (f32x4.add (local.get $vhalf) (local.get $k)))
      (local.set $a1 (v128.andnot (local.get $p1) (local.get $sign)))
      ;; @use lookup $a1 $q1 $pdf1
      ;; @use lookup $p2 $q2 $pdf2
      (local.set $u0
        (f32x4.sub
          ;; @use cdf $p1 $q1
          (local.get $q2)))
      (local.set $u1 (f32x4.sub (local.get $pdf1) (local.get $pdf2)))
      (local.set $u2
        (f32x4.mul
          (f32x4.add (f32x4.mul (local.get $p1) (local.get $pdf1)) (f32x4.mul (local.get $p2) (local.get $pdf2)))
          (local.get $h2)))
      (local.set $u3
        (f32x4.mul
          (f32x4.sub
            (f32x4.mul (f32x4.sub (f32x4.mul (local.get $p1) (local.get $p1)) (local.get $unit2)) (local.get $pdf1))
            (f32x4.mul (f32x4.sub (f32x4.mul (local.get $p2) (local.get $p2)) (local.get $unit2)) (local.get $pdf2)))
          (local.get $h4)))
      ;; @use transpose $u0 $u1 $u2 $u3 $w0 $w1 $w2 $w3
      (v128.store (local.get $at) (local.get $w0))
      (v128.store offset=32 (local.get $at) (local.get $w1))
      (v128.store offset=64 (local.get $at) (local.get $w2))
      (v128.store offset=96 (local.get $at) (local.get $w3))
      (local.set $k (f32x4.add (local.get $k) (local.get $four)))
      (local.set $at (i32.add (local.get $at) (i32.const 128)))
      (br_if $rows (i32.le_u (local.get $at) (local.get $end)))))

  ;; out = a * alpha + b * beta
  (func (export "weightedSum")
    (param $a i32) (param $b i32) (param $out i32) (param $n i32) (param $alpha f32) (param $beta f32)
    (local $i i32) (local $end i32) (local $va v128) (local $vb v128)
    (local.set $end (call $vectorBytes (local.get $n)))
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $vb (f32x4.splat (local.get $beta)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store
          (i32.add (local.get $out) (local.get $i))
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $i))) (local.get $va))
            (f32x4.mul (v128.load (i32.add (local.get $b) (local.get $i))) (local.get $vb))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; z = 1 where x + scale * eps > 0, else 0: the binary sample of a Gaussian gate
  (func (export "hardSample") (param $x i32) (param $eps i32) (param $z i32) (param $n i32) (param $scale f32)
    (local $i i32) (local $end i32) (local $s v128)
    (local.set $end (call $vectorBytes (local.get $n)))
    (local.set $s (f32x4.splat (local.get $scale)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store
          (i32.add (local.get $z) (local.get $i))
          (v128.and
            (f32x4.splat (f32.const 1))
            (f32x4.gt
              (f32x4.add
                (v128.load (i32.add (local.get $x) (local.get $i)))
                (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $eps) (local.get $i)))))
              (f32x4.splat (f32.const 0)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; A Gaussian gate's training sample and the weight it gates, in one pass over (w, x, eps) and
  ;; without storing the sample: z = clamp(x + scale * eps + 1/2, 0, 1) as clampedNoise, or where
  ;; `hard` 1[x + scale * eps > 0] as hardSample, by the same arithmetic.
  ;; @template gateSampleLocals
    (local $one v128) (local $zero v128) (local $halfv v128) (local $sv v128) (local $hardMask v128) (local $v v128) (local $zs v128)
  ;; @end
  ;; @template gateSampleSetup
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $zero (f32x4.splat (f32.const 0)))
    (local.set $halfv (f32x4.splat (f32.const 0.5)))
    (local.set $sv (f32x4.splat (local.get $scale)))
    (local.set $hardMask (i32x4.splat (i32.sub (i32.const 0) (local.get $hard))))
  ;; @end
  ;; @template gateSample
        (local.set $v
          (f32x4.add
            (v128.load (i32.add (local.get $x) (local.get $i)))
            (f32x4.mul (local.get $sv) (v128.load (i32.add (local.get $eps) (local.get $i))))))
        (local.set $zs
          (v128.bitselect
            (v128.and (local.get $one) (f32x4.gt (local.get $v) (local.get $zero)))
            (f32x4.pmin (local.get $one) (f32x4.pmax (local.get $zero) (f32x4.add (local.get $v) (local.get $halfv))))
            (local.get $hardMask)))
  ;; @end

  ;; out = w * z, and the sum of z^2 returned, accumulated in float64: the rescaled sample's
  ;; first pass (scaleInPlace then multiplies out by the layer's factor, which needs the sum). One
  ;; pass computing z where a sum pass and a product pass computed it twice; the same roundings
  ;; as gateSampleWeight's (w * z) * factor.
  (func (export "gateSampleWeightSquares")
    (param $w i32) (param $x i32) (param $eps i32) (param $out i32) (param $n i32) (param $scale f32) (param $hard i32)
    (result f64)
    (local $i i32) (local $end i32) (local $acc v128) (local $sq v128)
    ;; @use gateSampleLocals
    ;; @use gateSampleSetup
    (local.set $end (call $vectorBytes (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; @use gateSample
        (v128.store
          (i32.add (local.get $out) (local.get $i))
          (f32x4.mul (v128.load (i32.add (local.get $w) (local.get $i))) (local.get $zs)))
        (local.set $sq (f32x4.mul (local.get $zs) (local.get $zs)))
        ;; @use accumulate $acc $sq
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (call $total (local.get $acc)))

  ;; x = x * factor, in place
  (func (export "scaleInPlace") (param $x i32) (param $n i32) (param $factor f32)
    (local $i i32) (local $end i32) (local $f v128)
    (local.set $end (call $vectorBytes (local.get $n)))
    (local.set $f (f32x4.splat (local.get $factor)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store
          (i32.add (local.get $x) (local.get $i))
          (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $f)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; out = w * z * factor
  (func (export "gateSampleWeight")
    (param $w i32) (param $x i32) (param $eps i32) (param $out i32) (param $n i32) (param $scale f32)
    (param $hard i32) (param $factor f32)
    (local $i i32) (local $end i32) (local $f v128)
    ;; @use gateSampleLocals
    ;; @use gateSampleSetup
    (local.set $f (f32x4.splat (local.get $factor)))
    (local.set $end (call $vectorBytes (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; @use gateSample
        (v128.store
          (i32.add (local.get $out) (local.get $i))
          (f32x4.mul (f32x4.mul (v128.load (i32.add (local.get $w) (local.get $i))) (local.get $zs)) (local.get $f)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; dx = dy * w * factor where 0 < z < 1 (every entry where `hard`: straight-through), else 0
  (func (export "gateSampleWeightGrad")
    (param $dy i32) (param $w i32) (param $x i32) (param $eps i32) (param $dx i32) (param $n i32)
    (param $scale f32) (param $hard i32) (param $factor f32)
    (local $i i32) (local $end i32) (local $f v128)
    ;; @use gateSampleLocals
    ;; @use gateSampleSetup
    (local.set $f (f32x4.splat (local.get $factor)))
    (local.set $end (call $vectorBytes (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; @use gateSample
        (v128.store
          (i32.add (local.get $dx) (local.get $i))
          (v128.and
            (f32x4.mul
              (f32x4.mul
                (v128.load (i32.add (local.get $dy) (local.get $i)))
                (v128.load (i32.add (local.get $w) (local.get $i))))
              (local.get $f))
            (v128.or
              (local.get $hardMask)
              (v128.and (f32x4.gt (local.get $zs) (local.get $zero)) (f32x4.lt (local.get $zs) (local.get $one))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))
)
