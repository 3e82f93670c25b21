import { add, erf, mul, scalar, sigmoid, type Tensor } from '@tensorflow/tfjs-core';

/** The standard normal CDF, elementwise: Phi(x) = (1 + erf(x / sqrt 2)) / 2. */
export function normalCdf(x: Tensor): Tensor {
  return mul(add(erf(mul(x, scalar(Math.SQRT1_2))), scalar(1)), scalar(0.5));
}

/** The standard logistic CDF, elementwise (an alias that names the role of `sigmoid`). */
export function logisticCdf(x: Tensor): Tensor {
  return sigmoid(x);
}

/** Phi^-1(p) for a plain number, by bisection on the error function's series-free closed form. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (phi(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Phi(x) for a plain number, via a Chebyshev fit of erfc (Numerical Recipes; relative error < 1.2e-7). */
export function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** log(p / (1 - p)) for a plain number. */
export function logit(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  return Math.log(p / (1 - p));
}
