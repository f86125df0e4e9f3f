using Mpc.Core.Fields;
using Mpc.Core.Sharing;

namespace Mpc.Core.Tests.Sharing;

public class SharingMatricesTests
{
    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    public void EveryNMinusTColumnsOfTheVandermondeMatrixAreInvertible(int n, int t)
    {
        int rows = n - t;
        Fp61[] m = SharingMatrices.Vandermonde<Fp61>(rows, n);
        foreach (int[] columns in ShamirSchemeTests.Subsets(n, rows))
            Assert.NotEqual(Fp61.Zero, Determinant(m, n, Enumerable.Range(0, rows).ToArray(), columns));
    }

    [Fact]
    public void EverySquareSubmatrixOfTheHyperInvertibleMatrixIsInvertible()
    {
        const int size = 4;
        Fp61[] m = SharingMatrices.HyperInvertible<Fp61>(size);
        int checkedMinors = 0;
        for (int k = 1; k <= size; k++)
            foreach (int[] rows in ShamirSchemeTests.Subsets(size, k))
                foreach (int[] columns in ShamirSchemeTests.Subsets(size, k))
                {
                    Assert.NotEqual(Fp61.Zero, Determinant(m, size, rows, columns));
                    checkedMinors++;
                }
        Assert.Equal(69, checkedMinors); // Σ_k C(4,k)² − 1
    }

    [Fact]
    public void HyperInvertibleMatrixMapsPolynomialValuesToNewPoints()
    {
        // f(x) = 3 + 2x + x² at α = 1..3 must map to f at β = 4..6.
        Fp61[] m = SharingMatrices.HyperInvertible<Fp61>(3);
        static Fp61 F(ulong x) => Fp61.FromUInt64(3 + 2 * x + x * x);
        var inputs = new ReadOnlyMemory<Fp61>[] { new[] { F(1) }, new[] { F(2) }, new[] { F(3) } };
        var outputs = new Fp61[3];
        SharingMatrices.Apply<Fp61>(m, 3, inputs, outputs);
        Assert.Equal(new[] { F(4), F(5), F(6) }, outputs);
    }

    private static Fp61 Determinant(Fp61[] m, int columnsTotal, int[] rows, int[] columns)
    {
        int k = rows.Length;
        var a = new Fp61[k, k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) a[i, j] = m[rows[i] * columnsTotal + columns[j]];
        Fp61 det = Fp61.One;
        for (int c = 0; c < k; c++)
        {
            int pivot = c;
            while (pivot < k && a[pivot, c] == Fp61.Zero) pivot++;
            if (pivot == k) return Fp61.Zero;
            if (pivot != c)
            {
                for (int j = 0; j < k; j++) (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
                det = -det;
            }
            det *= a[c, c];
            Fp61 inv = a[c, c].Inverse();
            for (int i = c + 1; i < k; i++)
            {
                Fp61 f = a[i, c] * inv;
                for (int j = c; j < k; j++) a[i, j] -= f * a[c, j];
            }
        }
        return det;
    }
}
