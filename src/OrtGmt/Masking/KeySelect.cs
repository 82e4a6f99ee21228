namespace OrtGmt.Masking;

/// <summary>
/// In-place selection on a small buffer of radix keys (Hoare partition, median of three): the
/// selector's path for small segments and small buckets, where clearing a histogram would cost
/// more than the data.
/// </summary>
internal static class KeySelect
{
    /// <summary>The <paramref name="rank"/>-th largest key (1-based); reorders <paramref name="keys"/>.</summary>
    public static uint FromTop(Span<uint> keys, long rank)
    {
        int target = keys.Length - (int)rank;
        int lo = 0, hi = keys.Length - 1;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            if (keys[mid] < keys[lo]) (keys[mid], keys[lo]) = (keys[lo], keys[mid]);
            if (keys[hi] < keys[lo]) (keys[hi], keys[lo]) = (keys[lo], keys[hi]);
            if (keys[hi] < keys[mid]) (keys[hi], keys[mid]) = (keys[mid], keys[hi]);
            uint pivot = keys[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (keys[i] < pivot) i++;
                while (keys[j] > pivot) j--;
                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }
            // Now keys[lo..j] ≤ pivot ≤ keys[i..hi], and anything between equals the pivot.
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return keys[target];
        }
        return keys[target];
    }
}
