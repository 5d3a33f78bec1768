package dev.hybrid.web.scaling;

/** One observation of demand, combining the queue's view and the HTTP front end's view. */
public record Demand(int visible, int inFlight, int pendingHttp) {
    public static final Demand NONE = new Demand(0, 0, 0);

    public Demand {
        if (visible < 0 || inFlight < 0 || pendingHttp < 0) {
            throw new IllegalArgumentException("demand counts cannot be negative");
        }
    }

    public static Demand of(Backlog backlog, int pendingHttp) {
        return new Demand(backlog.visible(), backlog.inFlight(), pendingHttp);
    }

    /**
     * Outstanding work. Every unanswered HTTP request is either not yet sent, waiting in the queue or
     * in flight, so adding pendingHttp to the queue counts would count it twice; the queue counts still
     * matter because SQS may hold work from other producers, and pendingHttp matters because it is exact
     * and immediate while SQS attribute counts are approximate and lag.
     */
    public int total() {
        return Math.max(pendingHttp, visible + inFlight);
    }
}
