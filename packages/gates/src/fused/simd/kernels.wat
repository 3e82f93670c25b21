;; The gate path's elementwise kernels in WebAssembly SIMD (f32x4), run on the memory of
;; tfjs-backend-wasm itself: every pointer is a byte offset of a tensor in that heap. Each loop
;; covers the first n - n % 4 entries; the caller finishes the last few in JavaScript.
;; Assembled into simd/binary.ts by scripts/build-simd-kernels.mjs (`pnpm build:simd`).
(module
  (import "env" "memory" (memory 0))

  ;; The four lanes of v added to the two float64 lanes of acc.
  (func $accumulate (param $acc v128) (param $v v128) (result v128)
    (f64x2.add
      (f64x2.add (local.get $acc) (f64x2.promote_low_f32x4 (local.get $v)))
      (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))

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
        (local.set $acc (call $accumulate (local.get $acc) (f32x4.mul (local.get $v) (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (call $total (local.get $acc)))

;; Phi and phi by polynomial, written once as templates that scripts/build-simd-kernels.mjs
  ;; expands in place (`;; @use NAME ARGS`): in-loop calls cost a third (V8 does not inline WASM
  ;; calls here), so each loop body holds its own copies.
  ;; Phi's upper tail Phi(-|t|) is phi(|t|) k (b1 + k (b2 + ... + k b5)), k = 1 / (1 + p |t|)
  ;; (Abramowitz and Stegun 26.2.17, absolute error below 7.5e-8), |t| capped at 12, where Phi is
  ;; 0 or 1 and phi below 1e-31. phi(|t|) needs exp(y), y = -t^2 / 2 <= 0: y = n ln2 + r with
  ;; |r| <= ln2 / 2 (Cody-Waite), a degree-7 polynomial for exp(r) (float32 rounding), and 2^n
  ;; built in the exponent bits from the rounding constant 1.5 * 2^23 (y floored at -87, where 2^n
  ;; is still a normal float32).
  ;; @template phiLocals
    (local $a v128) (local $y v128) (local $m v128) (local $e v128) (local $r v128) (local $p v128) (local $k v128) (local $tail v128) (local $bias v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128) (local $c8 v128) (local $c9 v128) (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128) (local $c14 v128) (local $c15 v128) (local $c16 v128) (local $c17 v128) (local $c18 v128) (local $c19 v128) (local $c20 v128) (local $c21 v128)
  ;; @end
  ;; @template phiConstants
    (local.set $c0 (f32x4.splat (f32.const 12)))
    (local.set $c1 (f32x4.splat (f32.const -0.5)))
    (local.set $c2 (f32x4.splat (f32.const -87)))
    (local.set $c3 (f32x4.splat (f32.const 1.44269504088896341)))
    (local.set $c4 (f32x4.splat (f32.const 12582912)))
    (local.set $c5 (f32x4.splat (f32.const 0.693359375)))
    (local.set $c6 (f32x4.splat (f32.const -2.12194440e-4)))
    (local.set $c7 (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $c8 (f32x4.splat (f32.const 1.3981999507e-3)))
    (local.set $c9 (f32x4.splat (f32.const 8.3334519073e-3)))
    (local.set $c10 (f32x4.splat (f32.const 4.1665795894e-2)))
    (local.set $c11 (f32x4.splat (f32.const 1.6666665459e-1)))
    (local.set $c12 (f32x4.splat (f32.const 5.0000001201e-1)))
    (local.set $c13 (f32x4.splat (f32.const 1)))
    (local.set $c14 (f32x4.splat (f32.const 0.3989422804014327)))
    (local.set $c15 (f32x4.splat (f32.const 0.2316419)))
    (local.set $c16 (f32x4.splat (f32.const 1.330274429)))
    (local.set $c17 (f32x4.splat (f32.const -1.821255978)))
    (local.set $c18 (f32x4.splat (f32.const 1.781477937)))
    (local.set $c19 (f32x4.splat (f32.const -0.356563782)))
    (local.set $c20 (f32x4.splat (f32.const 0.319381530)))
    (local.set $c21 (f32x4.splat (f32.const 0)))
    (local.set $bias (i32x4.splat (i32.const 0x4B3FFF81)))
  ;; @end
  ;; PDF = phi(T), CDF = Phi(T)
  ;; @template phi $T $PDF $CDF
        (local.set $a (f32x4.pmin (f32x4.abs (local.get $T)) (local.get $c0)))
        ;; phi(a) = exp(y) / sqrt(2 pi)
        (local.set $y
          (f32x4.pmax
            (f32x4.mul (f32x4.mul (local.get $a) (local.get $a)) (local.get $c1))
            (local.get $c2)))
        (local.set $m
          (f32x4.add
            (f32x4.mul (local.get $y) (local.get $c3))
            (local.get $c4)))
        (local.set $e (f32x4.sub (local.get $m) (local.get $c4)))
        (local.set $r
          (f32x4.sub
            (f32x4.sub (local.get $y) (f32x4.mul (local.get $e) (local.get $c5)))
            (f32x4.mul (local.get $e) (local.get $c6))))
        (local.set $p (local.get $c7))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (local.get $c8)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (local.get $c9)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (local.get $c10)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (local.get $c11)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (local.get $c12)))
        (local.set $p
          (f32x4.add
            (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r))
            (local.get $c13)))
        ;; 2^n: the rounded y / ln2 sits in m's low mantissa bits; 0x4B400000 - 127 removes the
        ;; constant's bits and adds the exponent bias.
        (local.set $PDF
          (f32x4.mul
            (f32x4.mul
              (local.get $p)
              (i32x4.shl (i32x4.sub (local.get $m) (local.get $bias)) (i32.const 23)))
            (local.get $c14)))
        ;; the tail, and Phi(t) on t's side
        (local.set $k
          (f32x4.div
            (local.get $c13)
            (f32x4.add (local.get $c13) (f32x4.mul (local.get $a) (local.get $c15)))))
        (local.set $tail (local.get $c16))
        (local.set $tail (f32x4.add (f32x4.mul (local.get $tail) (local.get $k)) (local.get $c17)))
        (local.set $tail (f32x4.add (f32x4.mul (local.get $tail) (local.get $k)) (local.get $c18)))
        (local.set $tail (f32x4.add (f32x4.mul (local.get $tail) (local.get $k)) (local.get $c19)))
        (local.set $tail (f32x4.add (f32x4.mul (local.get $tail) (local.get $k)) (local.get $c20)))
        (local.set $tail (f32x4.mul (f32x4.mul (local.get $tail) (local.get $k)) (local.get $PDF)))
        (local.set $CDF
          (v128.bitselect
            (local.get $tail)
            (f32x4.sub (local.get $c13) (local.get $tail))
            (f32x4.lt (local.get $T) (local.get $c21))))
  ;; @end

  ;; One pass of sign * sum Phi(t), t = scale * x + shift, accumulated in float64, with
  ;; slope = sign * scale * phi(t), added to what slope holds when `addToSlope` (a second pass).
  (func $cdfPass
    (param $x i32) (param $slope i32) (param $n i32) (param $scale f32) (param $shift f32)
    (param $sign f32) (param $addToSlope i32) (result f64)
    (local $i i32) (local $end i32) (local $keepSlope v128) (local $acc v128)
    (local $t v128) (local $pdf v128) (local $cdf v128)
    (local $vscale v128) (local $vshift v128) (local $vslope v128)
    ;; @use phiLocals
    ;; @use phiConstants
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $vshift (f32x4.splat (local.get $shift)))
    (local.set $vslope (f32x4.splat (f32.mul (local.get $sign) (local.get $scale))))
    (local.set $end (call $vectorBytes (local.get $n)))
    (local.set $keepSlope (i32x4.splat (i32.sub (i32.const 0) (local.get $addToSlope))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $t
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $vscale))
            (local.get $vshift)))
        ;; @use phi $t $pdf $cdf
        (v128.store
          (i32.add (local.get $slope) (local.get $i))
          (f32x4.add
            (v128.and (v128.load (i32.add (local.get $slope) (local.get $i))) (local.get $keepSlope))
            (f32x4.mul (local.get $pdf) (local.get $vslope))))
        (local.set $acc (call $accumulate (local.get $acc) (local.get $cdf)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (f64.mul (call $total (local.get $acc)) (f64.promote_f32 (local.get $sign))))

  ;; The two sums behind a Gaussian gate's decision in one pass, t = scale * x, accumulated in
  ;; float64: keep = sum Phi(t) (P(z > 1/2)) and undecided = sum Phi(half - t) - Phi(-half - t)
  ;; (P(0 < z < 1) for scale = 1 / sigma, half = 1 / (2 sigma)), with their slopes per entry,
  ;; keepSlope = scale phi(t) and undecidedSlope = scale (phi(-half - t) - phi(half - t)).
  ;; The three Phi evaluations are independent, so one loop body lets the processor overlap them.
  (func (export "decisionSums")
    (param $x i32) (param $keepSlope i32) (param $undecidedSlope i32) (param $n i32) (param $scale f32)
    (param $half f32) (result f64 f64)
    (local $i i32) (local $end i32) (local $keep v128) (local $undecided v128)
    (local $t v128) (local $above v128) (local $below v128) (local $vscale v128) (local $vhalf v128)
    (local $pdf0 v128) (local $cdf0 v128) (local $pdf1 v128) (local $cdf1 v128) (local $pdf2 v128) (local $cdf2 v128)
    ;; @use phiLocals
    ;; @use phiConstants
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $vhalf (f32x4.splat (local.get $half)))
    (local.set $end (call $vectorBytes (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $t (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $vscale)))
        (local.set $above (f32x4.sub (local.get $vhalf) (local.get $t)))
        (local.set $below (f32x4.sub (f32x4.neg (local.get $vhalf)) (local.get $t)))
        ;; @use phi $t $pdf0 $cdf0
        ;; @use phi $above $pdf1 $cdf1
        ;; @use phi $below $pdf2 $cdf2
        (v128.store
          (i32.add (local.get $keepSlope) (local.get $i))
          (f32x4.mul (local.get $pdf0) (local.get $vscale)))
        (v128.store
          (i32.add (local.get $undecidedSlope) (local.get $i))
          (f32x4.mul (f32x4.sub (local.get $pdf2) (local.get $pdf1)) (local.get $vscale)))
        (local.set $keep (call $accumulate (local.get $keep) (local.get $cdf0)))
        (local.set $undecided
          (call $accumulate (local.get $undecided) (f32x4.sub (local.get $cdf1) (local.get $cdf2))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (call $total (local.get $keep))
    (call $total (local.get $undecided)))

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
)
