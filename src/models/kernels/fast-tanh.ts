// tanh for kernels whose results are float32: V8's Math.tanh costs about 30 ns, as much as the rest of a
// recurrent step. On |x| ≤ 7.9 a rational approximation (odd degree-13 over even degree-6 polynomial, the
// coefficients of Eigen's float32 tanh, which XLA uses on CPU too) is within 1.3e-7 relative (about one float32
// ulp) at a tenth of the cost; beyond, where tanh is within 2.6e-7 of ±1, Math.tanh.

const CLAMP = 7.9;

/** tanh(x) to float32 accuracy (≤ 1.3e-7 relative error); exact Math.tanh for |x| > 7.9. */
export function tanh32(x: number): number {
  if (x > CLAMP || x < -CLAMP) return Math.tanh(x);
  if (x < 0.0004 && x > -0.0004) return x; // tanh x = x − x³/3 + …: relative error below 6e-8
  const x2 = x * x;
  let p = x2 * -2.76076847742355e-16 + 2.00018790482477e-13;
  p = x2 * p - 8.60467152213735e-11;
  p = x2 * p + 5.12229709037114e-8;
  p = x2 * p + 1.48572235717979e-5;
  p = x2 * p + 6.37261928875436e-4;
  p = x2 * p + 4.89352455891786e-3;
  let q = x2 * 1.19825839466702e-6 + 1.18534705686654e-4;
  q = x2 * q + 2.268434632439e-3;
  q = x2 * q + 4.89352518554385e-3;
  return (x * p) / q;
}
