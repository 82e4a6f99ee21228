namespace OrtGmt.Masking;

/// <summary>
/// The selector's counting passes split over several threads: the caller counts the first chunk,
/// long-lived background workers the others, each into its own histogram, merged at the end.
/// The workers are started once and parked between calls, so a call allocates nothing.
/// </summary>
internal sealed unsafe class ParallelHistograms : IDisposable
{
    /// <summary>Below this many entries the hand-off costs more than a second thread saves.</summary>
    internal const int MinLength = 1 << 20;

    private readonly int[][] _histograms;
    private readonly SemaphoreSlim[] _start;
    private readonly CountdownEvent _done;
    private readonly Thread[] _workers;
    private uint* _bits;
    private int _length;
    private bool _countLow;
    private uint _bucket;
    private volatile bool _stopping;

    public ParallelHistograms(int threads)
    {
        Threads = threads;
        _histograms = new int[threads][];
        _start = new SemaphoreSlim[threads];
        _done = new CountdownEvent(1);
        _workers = new Thread[threads];
        for (int t = 1; t < threads; t++)
        {
            _histograms[t] = new int[ThresholdSelector.LowBuckets];
            _start[t] = new SemaphoreSlim(0);
            int index = t;
            _workers[t] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"ortgmt-select-{t}" };
            _workers[t].Start();
        }
    }

    public int Threads { get; }

    public void CountHigh(ReadOnlySpan<uint> bits, int[] into) => Run(bits, into, countLow: false, 0);

    public void CountLow(ReadOnlySpan<uint> bits, uint bucket, int[] into) => Run(bits, into, countLow: true, bucket);

    private void Run(ReadOnlySpan<uint> bits, int[] into, bool countLow, uint bucket)
    {
        fixed (uint* p = bits)
        {
            _bits = p;
            _length = bits.Length;
            _countLow = countLow;
            _bucket = bucket;
            _done.Reset(Threads - 1);
            for (int t = 1; t < Threads; t++) _start[t].Release();
            Array.Clear(into);
            Count(0, into);
            _done.Wait();
        }
        int buckets = countLow ? ThresholdSelector.LowBuckets : ThresholdSelector.HighBuckets;
        for (int t = 1; t < Threads; t++)
        {
            var h = _histograms[t];
            for (int b = 0; b < buckets; b++) into[b] += h[b];
        }
    }

    private void Count(int chunk, int[] histogram)
    {
        int per = _length / Threads;
        int start = chunk * per;
        int length = chunk == Threads - 1 ? _length - start : per;
        var span = new ReadOnlySpan<uint>(_bits + start, length);
        if (_countLow) ThresholdSelector.CountLow(span, _bucket, histogram);
        else ThresholdSelector.CountHigh(span, histogram);
    }

    private void WorkerLoop(int index)
    {
        var histogram = _histograms[index];
        while (true)
        {
            _start[index].Wait();
            if (_stopping) return;
            Array.Clear(histogram);
            Count(index, histogram);
            _done.Signal();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        for (int t = 1; t < Threads; t++) _start[t].Release();
        for (int t = 1; t < Threads; t++) _workers[t].Join();
        for (int t = 1; t < Threads; t++) _start[t].Dispose();
        _done.Dispose();
    }
}
